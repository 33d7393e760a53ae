<?php
/**
 * The plugin's table of return codes: batches of inactive codes, and every code given to an order.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

defined( 'ABSPATH' ) || exit;

/**
 * One row per code. The order meta (_inpost_return_code …) is what other plugins read; this table
 * lets the status sync and the inactive-codes screen find codes without order meta queries, which
 * work differently in the two order storages.
 */
final class CodeStore {

	public const DB_VERSION = '1';

	/** Shipment statuses after which a code is no longer followed. */
	public const FINAL_STATUSES = array( 'Delivered', 'Cancelled' );

	/** Codes are followed for this many days after they were made. */
	public const FOLLOW_DAYS = 120;

	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'inpost_quick_returns_codes';
	}

	/** Creates or updates the table (activation, and after an update of the plugin). */
	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table = self::table();
		dbDelta(
			"CREATE TABLE {$table} (
  code varchar(32) NOT NULL,
  uuid varchar(64) NOT NULL DEFAULT '',
  origin varchar(16) NOT NULL DEFAULT 'order',
  batch varchar(32) NOT NULL DEFAULT '',
  state varchar(16) NOT NULL DEFAULT 'active',
  order_id bigint(20) unsigned NOT NULL DEFAULT 0,
  pack_type varchar(1) NOT NULL DEFAULT '',
  expires varchar(32) NOT NULL DEFAULT '',
  created_at datetime NOT NULL,
  pack_code varchar(64) NOT NULL DEFAULT '',
  status varchar(64) NOT NULL DEFAULT '',
  status_date varchar(32) NOT NULL DEFAULT '',
  PRIMARY KEY  (code),
  KEY order_id (order_id),
  KEY state_created (state,created_at)
) {$wpdb->get_charset_collate()};"
		);
		update_option( Settings::PREFIX . 'db_version', self::DB_VERSION );
	}

	public static function maybe_install(): void {
		if ( get_option( Settings::PREFIX . 'db_version' ) !== self::DB_VERSION ) {
			self::install();
		}
	}

	/**
	 * Inserts or updates a code.
	 *
	 * @param array<string, mixed> $fields columns of the table.
	 */
	public static function save( string $code, array $fields ): void {
		global $wpdb;
		$existing = self::find( $code );
		if ( null === $existing ) {
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->insert( self::table(), array( 'code' => $code, 'created_at' => gmdate( 'Y-m-d H:i:s' ) ) + $fields );
		} elseif ( array() !== $fields ) {
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->update( self::table(), $fields, array( 'code' => $code ) );
		}
	}

	/** @return array<string, string>|null */
	public static function find( string $code ): ?array {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE code = %s", $code ), ARRAY_A );
		return is_array( $row ) ? $row : null;
	}

	/**
	 * Active codes of orders whose parcel has not reached a final status, made in the last FOLLOW_DAYS.
	 *
	 * @return array<string, array<string, string>> by code
	 */
	public static function followed(): array {
		global $wpdb;
		$table        = self::table();
		$placeholders = implode( ',', array_fill( 0, count( self::FINAL_STATUSES ), '%s' ) );
		$since        = gmdate( 'Y-m-d H:i:s', time() - self::FOLLOW_DAYS * DAY_IN_SECONDS );
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQLPlaceholders
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$table} WHERE state = 'active' AND order_id > 0 AND created_at >= %s AND status NOT IN ({$placeholders}) ORDER BY created_at", $since, ...self::FINAL_STATUSES ), ARRAY_A );
		$by_code = array();
		foreach ( (array) $rows as $row ) {
			$by_code[ $row['code'] ] = $row;
		}
		return $by_code;
	}

	/**
	 * Codes for the inactive-codes screen (batches only), newest first.
	 *
	 * @return list<array<string, string>>
	 */
	public static function batch_codes( string $batch = '', string $state = '', int $limit = 200, int $offset = 0 ): array {
		global $wpdb;
		$table                = self::table();
		list( $where, $args ) = self::batch_filter( $batch, $state );
		$args[]               = $limit;
		$args[]               = $offset;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return (array) $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$table} WHERE {$where} ORDER BY created_at DESC, batch DESC, code LIMIT %d OFFSET %d", ...$args ), ARRAY_A );
	}

	/**
	 * The WHERE clause (placeholders) and its arguments selecting batch codes, optionally of one
	 * batch and one state.
	 *
	 * @return array{0: string, 1: list<string>}
	 */
	private static function batch_filter( string $batch, string $state ): array {
		$where = "origin = 'batch'";
		$args  = array();
		if ( '' !== $batch ) {
			$where .= ' AND batch = %s';
			$args[] = $batch;
		}
		if ( '' !== $state ) {
			$where .= ' AND state = %s';
			$args[] = $state;
		}
		return array( $where, $args );
	}

	/** @return array<string, array{count: int, available: int, created_at: string}> batches, newest first */
	public static function batches(): array {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$rows    = $wpdb->get_results( "SELECT batch, COUNT(*) AS count, SUM(state = 'inactive' AND order_id = 0) AS available, MIN(created_at) AS created_at FROM {$table} WHERE origin = 'batch' GROUP BY batch ORDER BY created_at DESC, batch DESC", ARRAY_A );
		$batches = array();
		foreach ( (array) $rows as $row ) {
			$batches[ $row['batch'] ] = array(
				'count'      => (int) $row['count'],
				'available'  => (int) $row['available'],
				'created_at' => $row['created_at'],
			);
		}
		return $batches;
	}

	/** The number of batch codes in a state (for the screen's counts). */
	public static function count_batch_codes( string $batch = '', string $state = '' ): int {
		global $wpdb;
		$table                = self::table();
		list( $where, $args ) = self::batch_filter( $batch, $state );
		$sql                  = "SELECT COUNT(*) FROM {$table} WHERE {$where}";
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared
		return (int) $wpdb->get_var( array() === $args ? $sql : $wpdb->prepare( $sql, ...$args ) );
	}
}
