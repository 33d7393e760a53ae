<?php
/**
 * Admin notices: one-off ones for the user who acted, persistent ones for every shop manager.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce\Admin;

defined( 'ABSPATH' ) || exit;

/**
 * One-off notices survive the redirect after an action (a transient per user); persistent ones
 * (a failing status check) stay until the problem is gone.
 */
final class Notices {

	private const PERSISTENT_OPTION = 'inpost_quick_returns_notices';

	public static function register(): void {
		add_action( 'admin_notices', array( self::class, 'render' ) );
	}

	/** A notice for the current user's next admin page. */
	public static function add( string $type, string $message ): void {
		$key     = self::key();
		$notices = get_transient( $key );
		$notices = is_array( $notices ) ? $notices : array();
		$notices[] = array(
			'type'    => in_array( $type, array( 'success', 'error', 'warning', 'info' ), true ) ? $type : 'info',
			'message' => $message,
		);
		set_transient( $key, $notices, 10 * MINUTE_IN_SECONDS );
	}

	/** A notice every shop manager sees until it is cleared. */
	public static function persistent( string $id, string $message ): void {
		$notices        = get_option( self::PERSISTENT_OPTION, array() );
		$notices        = is_array( $notices ) ? $notices : array();
		$notices[ $id ] = array(
			'message' => $message,
			'time'    => time(),
		);
		update_option( self::PERSISTENT_OPTION, $notices, false );
	}

	public static function clear_persistent( string $id ): void {
		$notices = get_option( self::PERSISTENT_OPTION, array() );
		if ( is_array( $notices ) && isset( $notices[ $id ] ) ) {
			unset( $notices[ $id ] );
			update_option( self::PERSISTENT_OPTION, $notices, false );
		}
	}

	/** @return array<string, array{message: string, time: int}> */
	public static function persistent_notices(): array {
		$notices = get_option( self::PERSISTENT_OPTION, array() );
		return is_array( $notices ) ? $notices : array();
	}

	public static function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) && ! current_user_can( 'edit_shop_orders' ) ) {
			return;
		}
		$key     = self::key();
		$notices = get_transient( $key );
		if ( is_array( $notices ) ) {
			delete_transient( $key );
			foreach ( $notices as $notice ) {
				printf( '<div class="notice notice-%1$s is-dismissible inpost-qr-notice"><p>%2$s</p></div>', esc_attr( $notice['type'] ), esc_html( $notice['message'] ) );
			}
		}
		if ( current_user_can( 'manage_woocommerce' ) ) {
			foreach ( self::persistent_notices() as $notice ) {
				printf(
					'<div class="notice notice-error inpost-qr-notice"><p><strong>%1$s</strong> %2$s <small>(%3$s)</small></p></div>',
					esc_html__( 'InPost Quick Returns:', 'inpost-quick-returns' ),
					esc_html( $notice['message'] ),
					esc_html( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), (int) $notice['time'] ) )
				);
			}
		}
	}

	private static function key(): string {
		return 'inpost_qr_notices_' . get_current_user_id();
	}
}
