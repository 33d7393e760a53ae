<?php
/**
 * The admin order screen (both order storages): an order action and the "InPost return" box.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce\Admin;

use InPost\QuickReturns\WooCommerce\CodeStore;
use InPost\QuickReturns\WooCommerce\InactiveCodes;
use InPost\QuickReturns\WooCommerce\Messages;
use InPost\QuickReturns\WooCommerce\Returns;
use InPost\QuickReturns\WooCommerce\Settings;
use InPost\QuickReturns\WooCommerce\StatusSync;

defined( 'ABSPATH' ) || exit;

/**
 * The box is added to the screen WooCommerce uses for orders: post.php for the posts storage,
 * admin.php?page=wc-orders for HPOS (wc_get_page_screen_id() knows which).
 */
final class OrderBox {

	public const ORDER_ACTION = 'inpost_quick_returns_generate';

	public static function register(): void {
		add_filter( 'woocommerce_order_actions', array( self::class, 'order_actions' ), 10, 2 );
		add_action( 'woocommerce_order_action_' . self::ORDER_ACTION, array( self::class, 'generate' ) );
		add_action( 'add_meta_boxes', array( self::class, 'add_box' ), 30 );
		add_action( 'admin_post_inpost_qr_invalidate', array( self::class, 'handle_invalidate' ) );
		add_action( 'admin_post_inpost_qr_check_status', array( self::class, 'handle_check_status' ) );
		add_action( 'admin_enqueue_scripts', array( self::class, 'assets' ) );
	}

	public static function assets(): void {
		$screen = get_current_screen();
		if ( null !== $screen && in_array( $screen->id, array( 'shop_order', 'woocommerce_page_wc-orders', 'woocommerce_page_' . InactiveCodesPage::SLUG ), true ) ) {
			wp_enqueue_style( 'inpost-quick-returns-admin', plugins_url( 'assets/admin.css', INPOST_QR_PLUGIN_FILE ), array(), INPOST_QR_PLUGIN_VERSION );
		}
	}

	/**
	 * @param array<string, string> $actions
	 * @param \WC_Order|null        $order
	 * @return array<string, string>
	 */
	public static function order_actions( $actions, $order = null ) {
		if ( ! $order instanceof \WC_Order || null === Returns::current( $order ) ) {
			$actions[ self::ORDER_ACTION ] = __( 'Generate InPost return code', 'inpost-quick-returns' );
		}
		return $actions;
	}

	/**
	 * The order action: WooCommerce checked the nonce and the capability to edit the order.
	 *
	 * @param \WC_Order $order
	 */
	public static function generate( $order ): void {
		if ( ! $order instanceof \WC_Order ) {
			return;
		}
		try {
			$code = Returns::generate_code( $order, array( 'context' => 'admin' ) );
			Notices::add(
				'success',
				$code['created']
					/* translators: %s: return code */
					? sprintf( __( 'InPost return code %s made; the customer gets it by e-mail.', 'inpost-quick-returns' ), $code['code'] )
					/* translators: %s: return code */
					: sprintf( __( 'This order already has the InPost return code %s.', 'inpost-quick-returns' ), $code['code'] )
			);
		} catch ( \Throwable $e ) {
			// The order note is already there; the notice tells the person who clicked.
			Notices::add( 'error', Messages::for_shop( $e ) );
		}
	}

	public static function add_box(): void {
		add_meta_box( 'inpost-quick-returns', __( 'InPost return', 'inpost-quick-returns' ), array( self::class, 'render' ), wc_get_page_screen_id( 'shop-order' ), 'side', 'default' );
	}

	/**
	 * @param \WP_Post|\WC_Order $post_or_order
	 */
	public static function render( $post_or_order ): void {
		$order = $post_or_order instanceof \WP_Post ? wc_get_order( $post_or_order->ID ) : $post_or_order;
		if ( ! $order instanceof \WC_Order ) {
			return;
		}
		$code     = Returns::current( $order );
		$inactive = (string) $order->get_meta( Returns::META_INACTIVE );
		echo '<div class="inpost-qr-box">';
		if ( null !== $code ) {
			$date_format = get_option( 'date_format' ) . ' ' . get_option( 'time_format' );
			$status      = '' !== $code['status'] ? $code['status'] : ( '' !== $code['pack_code'] ? __( 'dropped off', 'inpost-quick-returns' ) : __( 'not dropped off yet', 'inpost-quick-returns' ) );
			$status_date = (string) $order->get_meta( Returns::META_STATUS_DATE );
			$last_sync   = get_option( Settings::PREFIX . 'last_sync' );
			?>
			<dl>
				<dt><?php esc_html_e( 'Return code', 'inpost-quick-returns' ); ?></dt>
				<dd class="inpost-qr-code"><?php echo esc_html( $code['code'] ); ?></dd>
				<dt><?php esc_html_e( 'Locker size', 'inpost-quick-returns' ); ?></dt>
				<dd class="inpost-qr-size"><?php echo esc_html( $code['pack_type'] . ' (' . ( Settings::PACK_TYPES[ $code['pack_type'] ] ?? '' ) . ')' ); ?></dd>
				<dt><?php esc_html_e( 'Valid until', 'inpost-quick-returns' ); ?></dt>
				<dd class="inpost-qr-expires"><?php echo esc_html( Returns::format_expiry( $code['expires'] ) ); ?></dd>
				<dt><?php esc_html_e( 'Parcel status', 'inpost-quick-returns' ); ?></dt>
				<dd class="inpost-qr-status"><?php echo esc_html( $status . ( '' !== $status_date ? ' (' . $status_date . ')' : '' ) ); ?></dd>
				<?php if ( '' !== $code['pack_code'] ) : ?>
					<dt><?php esc_html_e( 'Shipment number', 'inpost-quick-returns' ); ?></dt>
					<dd class="inpost-qr-pack-code"><?php echo esc_html( $code['pack_code'] ); ?></dd>
				<?php endif; ?>
			</dl>
			<p class="description">
				<?php
				if ( is_array( $last_sync ) && isset( $last_sync['time'] ) ) {
					/* translators: %s: date and time */
					printf( esc_html__( 'From InPost\'s report, last read %s.', 'inpost-quick-returns' ), esc_html( wp_date( $date_format, (int) $last_sync['time'] ) ) );
				}
				echo ' ';
				esc_html_e( 'InPost disables only inactive, unused codes, so this active code cannot be invalidated.', 'inpost-quick-returns' );
				?>
			</p>
			<p class="inpost-qr-actions">
				<a class="button" href="<?php echo esc_url( self::action_url( 'inpost_qr_check_status', $order ) ); ?>"><?php esc_html_e( 'Check status now', 'inpost-quick-returns' ); ?></a>
			</p>
			<?php
		} elseif ( '' !== $inactive ) {
			$row = CodeStore::find( $inactive );
			?>
			<dl>
				<dt><?php esc_html_e( 'Inactive code packed with the order', 'inpost-quick-returns' ); ?></dt>
				<dd class="inpost-qr-code"><?php echo esc_html( $inactive ); ?></dd>
				<?php if ( null !== $row && '' !== $row['batch'] ) : ?>
					<dt><?php esc_html_e( 'Batch', 'inpost-quick-returns' ); ?></dt>
					<dd><?php echo esc_html( $row['batch'] ); ?></dd>
				<?php endif; ?>
			</dl>
			<p class="description"><?php esc_html_e( 'It is activated when the customer asks for a return, or with the order action "Generate InPost return code".', 'inpost-quick-returns' ); ?></p>
			<p class="inpost-qr-actions">
				<a class="button inpost-qr-invalidate" href="<?php echo esc_url( self::action_url( 'inpost_qr_invalidate', $order ) ); ?>" onclick="return window.confirm(<?php echo esc_attr( wp_json_encode( __( 'Invalidate this code at InPost? It can never be used afterwards.', 'inpost-quick-returns' ) ) ); ?>);"><?php esc_html_e( 'Invalidate', 'inpost-quick-returns' ); ?></a>
			</p>
			<?php
		} else {
			echo '<p class="inpost-qr-none">' . esc_html__( 'No return code yet. Choose "Generate InPost return code" under Order actions, or let the customer ask for one in My Account.', 'inpost-quick-returns' ) . '</p>';
		}
		echo '</div>';
	}

	public static function handle_invalidate(): void {
		$order = self::order_from_request( 'inpost_qr_invalidate' );
		$code  = (string) $order->get_meta( Returns::META_INACTIVE );
		try {
			if ( '' === $code ) {
				throw new \DomainException( __( 'This order has no inactive code to invalidate.', 'inpost-quick-returns' ) );
			}
			InactiveCodes::invalidate( $code );
			/* translators: %s: the code */
			Notices::add( 'success', sprintf( __( 'The code %s was invalidated.', 'inpost-quick-returns' ), $code ) );
		} catch ( \Throwable $e ) {
			Notices::add( 'error', Messages::for_shop( $e ) );
		}
		wp_safe_redirect( $order->get_edit_order_url() );
		exit;
	}

	public static function handle_check_status(): void {
		$order = self::order_from_request( 'inpost_qr_check_status' );
		$code  = Returns::current( $order );
		try {
			if ( null === $code ) {
				throw new \DomainException( __( 'This order has no return code.', 'inpost-quick-returns' ) );
			}
			$changed = StatusSync::check_code( $code['code'] );
			Notices::add( 'success', $changed ? __( 'InPost reports a new parcel status; see the box and the order notes.', 'inpost-quick-returns' ) : __( 'No change: InPost reports the same parcel status.', 'inpost-quick-returns' ) );
		} catch ( \Throwable $e ) {
			$order->add_order_note( Messages::for_shop( $e ) );
			Notices::add( 'error', Messages::for_shop( $e ) );
		}
		wp_safe_redirect( $order->get_edit_order_url() );
		exit;
	}

	private static function action_url( string $action, \WC_Order $order ): string {
		return wp_nonce_url( admin_url( 'admin-post.php?action=' . $action . '&order_id=' . $order->get_id() ), $action . '_' . $order->get_id() );
	}

	/** The order of an admin-post request, after its nonce and the user's capability were checked. */
	private static function order_from_request( string $action ): \WC_Order {
		$order_id = absint( wp_unslash( $_GET['order_id'] ?? 0 ) ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- checked next.
		check_admin_referer( $action . '_' . $order_id );
		$order = wc_get_order( $order_id );
		if ( ! $order instanceof \WC_Order || ! current_user_can( 'edit_shop_orders' ) ) {
			wp_die( esc_html__( 'You are not allowed to do this.', 'inpost-quick-returns' ), 403 );
		}
		return $order;
	}
}
