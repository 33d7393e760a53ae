<?php
/**
 * A lock per order (or per job) in the database, so that two requests never both ask InPost.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

defined( 'ABSPATH' ) || exit;

/**
 * One row in the options table per held lock. `INSERT IGNORE` on the unique option_name makes
 * taking it atomic across PHP processes and servers sharing the database; a lock older than
 * its time to live (a crashed request) is taken over with a compare-and-swap UPDATE.
 * The rows are written with SQL directly: add_option() is not atomic and caches.
 */
final class OrderLock {

	/** Longer than one InPost call can take (the client's timeouts, with its retries). */
	public const TTL_SECONDS = 120;

	private const PREFIX = '_inpost_qr_lock_';

	/**
	 * Takes the lock, waiting up to $wait_seconds for another holder.
	 *
	 * @return string|null the token to release it with, or null when the wait ran out.
	 */
	public static function acquire( string $name, float $wait_seconds = 0.0 ): ?string {
		global $wpdb;
		$option   = self::PREFIX . $name;
		$token    = wp_generate_uuid4();
		$deadline = microtime( true ) + $wait_seconds;
		while ( true ) {
			$value = ( time() + self::TTL_SECONDS ) . '|' . $token;
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$inserted = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'off')", $option, $value ) );
			if ( 1 === $inserted ) {
				return $token;
			}
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$current = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", $option ) );
			if ( is_string( $current ) && (int) strtok( $current, '|' ) < time() ) {
				// phpcs:ignore WordPress.DB.DirectDatabaseQuery
				$taken = $wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->options} SET option_value = %s WHERE option_name = %s AND option_value = %s", $value, $option, $current ) );
				if ( 1 === $taken ) {
					return $token;
				}
			}
			if ( microtime( true ) >= $deadline ) {
				return null;
			}
			usleep( 200000 );
		}
	}

	/** Releases a lock this token holds (never another holder's). */
	public static function release( string $name, string $token ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s AND option_value LIKE %s", self::PREFIX . $name, '%|' . $wpdb->esc_like( $token ) ) );
	}

	/** Whether someone holds the lock now (for tests and the admin box). */
	public static function held( string $name ): bool {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$current = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::PREFIX . $name ) );
		return is_string( $current ) && (int) strtok( $current, '|' ) >= time();
	}
}
