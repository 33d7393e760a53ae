<?php
/**
 * Removes the plugin's settings and scheduled job on uninstall. Order meta and the codes table
 * stay (they record codes InPost still knows), unless INPOST_QUICK_RETURNS_REMOVE_ALL_DATA is true.
 *
 * @package InPostQuickReturns
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

global $wpdb;

// phpcs:ignore WordPress.DB.DirectDatabaseQuery
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s", $wpdb->esc_like( 'inpost_quick_returns_' ) . '%', $wpdb->esc_like( '_inpost_qr_lock_' ) . '%' ) );
delete_transient( 'inpost_quick_returns_sync_scheduled' );
if ( function_exists( 'as_unschedule_all_actions' ) ) {
	as_unschedule_all_actions( 'inpost_quick_returns_sync_status', array(), 'inpost-quick-returns' );
}
if ( defined( 'INPOST_QUICK_RETURNS_REMOVE_ALL_DATA' ) && true === INPOST_QUICK_RETURNS_REMOVE_ALL_DATA ) {
	$wpdb->query( "DROP TABLE IF EXISTS {$wpdb->prefix}inpost_quick_returns_codes" ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.DirectDatabaseQuery.SchemaChange
}
