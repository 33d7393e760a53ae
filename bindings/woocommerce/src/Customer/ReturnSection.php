<?php
/**
 * My Account → Orders → an order: the "Return with InPost Paczkomat" section.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce\Customer;

use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\WooCommerce\Messages;
use InPost\QuickReturns\WooCommerce\Returns;
use InPost\QuickReturns\WooCommerce\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Shows the code when the order has one; otherwise, for eligible orders, a form to pick a locker
 * size (and correct the phone number). The form posts to the order's page; a success redirects
 * back to it (post/redirect/get), so a reload never posts again.
 */
final class ReturnSection {

	public const ACTION = 'inpost_qr_request_return';

	/**
	 * The failed submission of this request, shown again in the form.
	 *
	 * @var array{error: string, field: string, pack_type: string, phone: string}|null
	 */
	private static ?array $failed = null;

	public static function register(): void {
		add_action( 'woocommerce_view_order', array( self::class, 'render' ), 20 );
		add_action( 'template_redirect', array( self::class, 'handle_post' ) );
		add_filter( 'woocommerce_my_account_my_orders_actions', array( self::class, 'orders_list_action' ), 10, 2 );
		add_action( 'wp_enqueue_scripts', array( self::class, 'assets' ) );
	}

	public static function assets(): void {
		if ( function_exists( 'is_account_page' ) && is_account_page() ) {
			wp_enqueue_style( 'inpost-quick-returns', plugins_url( 'assets/customer.css', INPOST_QR_PLUGIN_FILE ), array(), INPOST_QR_PLUGIN_VERSION );
			wp_enqueue_script( 'inpost-quick-returns', plugins_url( 'assets/customer.js', INPOST_QR_PLUGIN_FILE ), array(), INPOST_QR_PLUGIN_VERSION, true );
		}
	}

	public static function handle_post(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- verified below, after the order is known.
		if ( 'POST' !== ( $_SERVER['REQUEST_METHOD'] ?? '' ) || self::ACTION !== ( $_POST['inpost_qr_action'] ?? '' ) ) {
			return;
		}
		$order_id = absint( wp_unslash( $_POST['order_id'] ?? 0 ) );
		$nonce    = sanitize_text_field( wp_unslash( $_POST['_inpost_qr_nonce'] ?? '' ) );
		$pack     = strtoupper( sanitize_text_field( wp_unslash( $_POST['inpost_qr_pack_type'] ?? '' ) ) );
		$phone    = sanitize_text_field( wp_unslash( $_POST['inpost_qr_phone'] ?? '' ) );
		// phpcs:enable
		$order = $order_id > 0 ? wc_get_order( $order_id ) : false;
		if ( ! is_user_logged_in() || ! $order instanceof \WC_Order || ! current_user_can( 'view_order', $order_id ) ) {
			wc_add_notice( __( 'You cannot ask for a return of this order.', 'inpost-quick-returns' ), 'error' );
			return;
		}
		if ( ! wp_verify_nonce( $nonce, self::nonce_action( $order_id ) ) ) {
			wc_add_notice( __( 'The return form has expired. Please try again.', 'inpost-quick-returns' ), 'error' );
			return;
		}
		if ( null !== Returns::current( $order ) ) {
			// A reload of an old form, or a second click: the code is already there.
			wp_safe_redirect( $order->get_view_order_url() . '#inpost-return' );
			exit;
		}
		$eligibility = Returns::eligibility( $order );
		if ( ! $eligibility['eligible'] ) {
			wc_add_notice( $eligibility['reason'], 'error' );
			return;
		}
		if ( ! isset( Settings::PACK_TYPES[ $pack ] ) ) {
			self::$failed = array(
				'error'     => __( 'Please choose a parcel size.', 'inpost-quick-returns' ),
				'field'     => 'packType',
				'pack_type' => '',
				'phone'     => $phone,
			);
			return;
		}
		try {
			$code = Returns::generate_code(
				$order,
				array(
					'pack_type' => $pack,
					'phone'     => '' !== $phone ? $phone : null,
					'context'   => 'customer',
				)
			);
		} catch ( \Throwable $e ) {
			self::$failed = array(
				'error'     => Messages::for_customer( $e ),
				'field'     => $e instanceof InvalidInputException ? (string) $e->getField() : '',
				'pack_type' => $pack,
				'phone'     => $phone,
			);
			return;
		}
		wc_add_notice(
			$code['created']
				? __( 'Your InPost return code is ready. We have also sent it to you by e-mail.', 'inpost-quick-returns' )
				: __( 'This order already has a return code; here it is.', 'inpost-quick-returns' ),
			'success'
		);
		wp_safe_redirect( $order->get_view_order_url() . '#inpost-return' );
		exit;
	}

	/**
	 * The section under the order details.
	 *
	 * @param int|string $order_id the order shown.
	 */
	public static function render( $order_id ): void {
		$order = wc_get_order( $order_id );
		if ( ! $order instanceof \WC_Order || ! current_user_can( 'view_order', $order->get_id() ) ) {
			return;
		}
		$code        = Returns::current( $order );
		$eligibility = Returns::eligibility( $order );
		$in_status   = in_array( 'wc-' . $order->get_status(), Settings::eligible_statuses(), true );
		if ( null === $code && ! $eligibility['eligible'] && ! $in_status ) {
			return; // Nothing to offer and nothing to explain (e.g. an order still being paid).
		}
		wc_get_template(
			'myaccount/inpost-return.php',
			array(
				'order'       => $order,
				'code'        => $code,
				'eligibility' => $eligibility,
				'failed'      => self::$failed,
				'pack_types'  => Settings::PACK_TYPES,
				'pack_type'   => null !== self::$failed && '' !== self::$failed['pack_type'] ? self::$failed['pack_type'] : Settings::pack_type(),
				'phone'       => null !== self::$failed ? self::$failed['phone'] : (string) $order->get_billing_phone(),
				'nonce'       => wp_create_nonce( self::nonce_action( $order->get_id() ) ),
				'action'      => self::ACTION,
				'expires'     => null !== $code ? Returns::format_expiry( $code['expires'] ) : '',
				'button_class' => function_exists( 'wc_wp_theme_get_element_class_name' ) ? (string) wc_wp_theme_get_element_class_name( 'button' ) : '',
			),
			'inpost-quick-returns/',
			INPOST_QR_PLUGIN_DIR . 'templates/'
		);
	}

	/**
	 * A "Return" button in My Account → Orders for orders that can get a code.
	 *
	 * @param array<string, array{url: string, name: string}> $actions
	 * @param \WC_Order                                        $order
	 * @return array<string, array{url: string, name: string}>
	 */
	public static function orders_list_action( $actions, $order ) {
		if ( $order instanceof \WC_Order && null === Returns::current( $order ) && Returns::eligibility( $order )['eligible'] ) {
			$actions['inpost-return'] = array(
				'url'  => $order->get_view_order_url() . '#inpost-return',
				'name' => __( 'Return', 'inpost-quick-returns' ),
			);
		}
		return $actions;
	}

	/** The steps shown under the code, in My Account and in the e-mail. */
	public static function how_to_steps( string $pack_type ): array {
		$size = Settings::PACK_TYPES[ $pack_type ] ?? Settings::PACK_TYPES['A'];
		return array(
			/* translators: 1: locker size letter, 2: its dimensions */
			sprintf( __( 'Pack the goods so that the parcel fits a size %1$s locker (%2$s) and weighs at most 25 kg.', 'inpost-quick-returns' ), $pack_type, $size ),
			__( 'At any InPost Paczkomat locker, choose to send a parcel with a code and type the return code (or scan the QR code InPost sends you by text message and e-mail).', 'inpost-quick-returns' ),
			__( 'A locker opens: put the parcel inside and close the door. No label and no printer are needed.', 'inpost-quick-returns' ),
		);
	}

	/** A line about the parcel (on its way, arrived) or the code (expired); '' while the code waits to be used. */
	public static function status_text( array $code ): string {
		if ( 'Delivered' === $code['status'] ) {
			return __( 'Your parcel has reached us.', 'inpost-quick-returns' );
		}
		if ( '' !== $code['status'] || '' !== $code['pack_code'] ) {
			return __( 'Your parcel is on its way back to us.', 'inpost-quick-returns' );
		}
		$expires = \DateTimeImmutable::createFromFormat( 'Y-m-d\TH:i:s', $code['expires'], wp_timezone() );
		if ( false !== $expires && $expires->getTimestamp() < time() ) {
			return __( 'This code has expired without being used. Please contact us if you still want to return the order.', 'inpost-quick-returns' );
		}
		return '';
	}

	private static function nonce_action( int $order_id ): string {
		return 'inpost_qr_return_' . $order_id;
	}
}
