<?php
/**
 * Test-shop helper for the browser tests (a CLI process with the test shop's WordPress loaded):
 *
 *   php fixture.php storage     '{"hpos": true}'         order storage: HPOS or posts
 *   php fixture.php order       '{"phone": "12345"}'     a completed order of the test customer
 *   php fixture.php order-state '{"id": 12}'             status, billing phone, plugin meta, notes
 *   php fixture.php run-sync    '{}'                     the status sync, as Scheduled Actions runs it
 *   php fixture.php option      '{"name": "…", "value": …}'
 *   php fixture.php plugin-data '{}'                     the plugin's options, table, scheduled job
 *
 * Prints one JSON object.
 *
 * @package InPostQuickReturns
 */

use Automattic\WooCommerce\Internal\DataStores\Orders\CustomOrdersTableController;
use Automattic\WooCommerce\Internal\DataStores\Orders\DataSynchronizer;
use Automattic\WooCommerce\Utilities\OrderUtil;
use InPostQrTests\Support\Shop;

$inpost_qr_command = $argv[1] ?? '';
$inpost_qr_input   = json_decode( $argv[2] ?? '{}', true ) ?? array();

$inpost_qr_url                  = (string) getenv( 'INPOST_QR_URL' );
$_SERVER['HTTP_HOST'] = parse_url( $inpost_qr_url, PHP_URL_HOST ) . ':' . parse_url( $inpost_qr_url, PHP_URL_PORT );
require getenv( 'INPOST_QR_WP_DIR' ) . '/wp-load.php';
require_once dirname( __DIR__ ) . '/php/Support/Shop.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

/** @param mixed $value */
function inpost_qr_out( $value ): void {
	echo wp_json_encode( $value, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ), "\n";
}

switch ( $inpost_qr_command ) {
	case 'storage':
		$inpost_qr_sync = wc_get_container()->get( DataSynchronizer::class );
		if ( ! $inpost_qr_sync->check_orders_table_exists() ) {
			$inpost_qr_sync->create_database_tables();
		}
		update_option( DataSynchronizer::ORDERS_DATA_SYNC_ENABLED_OPTION, 'no' );
		// WooCommerce refuses the switch while the other storage holds orders the tests made in the
		// previous mode; the tests never need those orders again (WooCommerce's filter for tests).
		add_filter( 'wc_allow_changing_orders_storage_while_sync_is_pending', '__return_true' );
		update_option( CustomOrdersTableController::CUSTOM_ORDERS_TABLE_USAGE_ENABLED_OPTION, ! empty( $inpost_qr_input['hpos'] ) ? 'yes' : 'no' );
		wp_cache_flush();
		inpost_qr_out( array( 'hpos' => OrderUtil::custom_orders_table_usage_is_enabled() ) );
		break;

	case 'order':
		$inpost_qr_order = Shop::order( $inpost_qr_input );
		inpost_qr_out(
			array(
				'id'       => $inpost_qr_order->get_id(),
				'number'   => $inpost_qr_order->get_order_number(),
				'view_url' => $inpost_qr_order->get_view_order_url(),
				'edit_url' => $inpost_qr_order->get_edit_order_url(),
				'orders_url' => wc_get_account_endpoint_url( 'orders' ),
			)
		);
		break;

	case 'order-state':
		$inpost_qr_order = wc_get_order( (int) $inpost_qr_input['id'] );
		$inpost_qr_meta  = array();
		foreach ( $inpost_qr_order->get_meta_data() as $inpost_qr_item ) {
			$inpost_qr_data = $inpost_qr_item->get_data();
			if ( str_starts_with( $inpost_qr_data['key'], '_inpost_' ) ) {
				$inpost_qr_meta[ $inpost_qr_data['key'] ] = $inpost_qr_data['value'];
			}
		}
		inpost_qr_out(
			array(
				'status'        => $inpost_qr_order->get_status(),
				'billing_phone' => $inpost_qr_order->get_billing_phone(),
				'meta'          => (object) $inpost_qr_meta,
				'notes'         => Shop::notes( $inpost_qr_order ),
			)
		);
		break;

	case 'run-sync':
		inpost_qr_out( array( 'action_id' => Shop::run_scheduled_sync() ) );
		break;

	case 'plugin-data':
		global $wpdb;
		wp_cache_flush();
		inpost_qr_out(
			array(
				'options'   => $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s ORDER BY option_name", $wpdb->esc_like( 'inpost_quick_returns_' ) . '%' ) ),
				'table'     => (bool) $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->prefix . 'inpost_quick_returns_codes' ) ),
				'scheduled' => function_exists( 'as_has_scheduled_action' ) && class_exists( 'ActionScheduler' ) && ActionScheduler::is_initialized() ? as_has_scheduled_action( 'inpost_quick_returns_sync_status' ) : null,
				'active'    => is_plugin_active( 'inpost-quick-returns/inpost-quick-returns.php' ),
			)
		);
		break;

	case 'option':
		update_option( (string) $inpost_qr_input['name'], $inpost_qr_input['value'] );
		inpost_qr_out( array( 'ok' => true ) );
		break;

	default:
		fwrite( STDERR, "usage: php fixture.php storage|order|order-state|run-sync|option '<json>'\n" );
		exit( 2 );
}
