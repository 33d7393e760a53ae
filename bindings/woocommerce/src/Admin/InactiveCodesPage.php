<?php
/**
 * WooCommerce → InPost codes: batches of inactive codes (scenario 2).
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce\Admin;

use InPost\QuickReturns\WooCommerce\CodeStore;
use InPost\QuickReturns\WooCommerce\InactiveCodes;
use InPost\QuickReturns\WooCommerce\Messages;
use InPost\QuickReturns\WooCommerce\Settings;

defined( 'ABSPATH' ) || exit;

/** Generate a batch, list it, download it as CSV, activate or assign a code for an order, invalidate unused ones. */
final class InactiveCodesPage {

	public const SLUG     = 'inpost-quick-returns-codes';
	private const PER_PAGE = 100;

	public static function register(): void {
		add_action( 'admin_menu', array( self::class, 'menu' ), 60 );
		add_action( 'admin_post_inpost_qr_generate_batch', array( self::class, 'handle_generate' ) );
		add_action( 'admin_post_inpost_qr_activate_code', array( self::class, 'handle_activate' ) );
		add_action( 'admin_post_inpost_qr_invalidate_code', array( self::class, 'handle_invalidate' ) );
		add_action( 'admin_post_inpost_qr_codes_csv', array( self::class, 'handle_csv' ) );
	}

	public static function menu(): void {
		add_submenu_page( 'woocommerce', __( 'InPost return codes', 'inpost-quick-returns' ), __( 'InPost codes', 'inpost-quick-returns' ), 'manage_woocommerce', self::SLUG, array( self::class, 'render' ) );
	}

	public static function url( array $args = array() ): string {
		return add_query_arg( $args, admin_url( 'admin.php?page=' . self::SLUG ) );
	}

	public static function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- filters of a listing.
		$batch = sanitize_text_field( wp_unslash( $_GET['batch'] ?? '' ) );
		$state = sanitize_key( wp_unslash( $_GET['state'] ?? '' ) );
		$paged = max( 1, absint( $_GET['paged'] ?? 1 ) );
		// phpcs:enable
		$state     = in_array( $state, array( 'inactive', 'active', 'invalidated' ), true ) ? $state : '';
		$total     = CodeStore::count_batch_codes( $batch, $state );
		$codes     = CodeStore::batch_codes( $batch, $state, self::PER_PAGE, ( $paged - 1 ) * self::PER_PAGE );
		$available = CodeStore::batch_codes( '', 'inactive', 500 );
		$available = array_values( array_filter( $available, static fn ( $row ) => 0 === (int) $row['order_id'] ) );
		$batches   = CodeStore::batches();
		?>
		<div class="wrap inpost-qr-codes">
			<h1><?php esc_html_e( 'InPost return codes', 'inpost-quick-returns' ); ?></h1>
			<p><?php esc_html_e( 'Inactive codes are printed or packed with the goods. When the customer asks for a return, the shop activates the code for the order (or assigns it to the order now, and it is activated when the customer asks in My Account). Unused inactive codes can be invalidated.', 'inpost-quick-returns' ); ?></p>

			<div class="inpost-qr-codes-forms">
				<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" id="inpost-qr-generate-batch">
					<h2><?php esc_html_e( 'Generate inactive codes', 'inpost-quick-returns' ); ?></h2>
					<p>
						<label for="inpost_qr_count"><?php esc_html_e( 'How many', 'inpost-quick-returns' ); ?></label>
						<input type="number" id="inpost_qr_count" name="count" value="10" min="1" step="1" class="small-text" />
						<?php wp_nonce_field( 'inpost_qr_generate_batch' ); ?>
						<input type="hidden" name="action" value="inpost_qr_generate_batch" />
						<button type="submit" class="button button-primary"><?php esc_html_e( 'Generate', 'inpost-quick-returns' ); ?></button>
					</p>
				</form>

				<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" id="inpost-qr-activate-code">
					<h2><?php esc_html_e( 'Use a code for an order', 'inpost-quick-returns' ); ?></h2>
					<p>
						<label for="inpost_qr_code"><?php esc_html_e( 'Code', 'inpost-quick-returns' ); ?></label>
						<input type="text" id="inpost_qr_code" name="code" list="inpost-qr-available" inputmode="numeric" class="regular-text" required />
						<datalist id="inpost-qr-available">
							<?php foreach ( $available as $row ) : ?>
								<option value="<?php echo esc_attr( $row['code'] ); ?>"></option>
							<?php endforeach; ?>
						</datalist>
					</p>
					<p>
						<label for="inpost_qr_order"><?php esc_html_e( 'Order number', 'inpost-quick-returns' ); ?></label>
						<input type="text" id="inpost_qr_order" name="order" class="small-text" required />
						<label for="inpost_qr_pack_type"><?php esc_html_e( 'Parcel size', 'inpost-quick-returns' ); ?></label>
						<select id="inpost_qr_pack_type" name="pack_type">
							<?php foreach ( Settings::PACK_TYPES as $letter => $dimensions ) : ?>
								<option value="<?php echo esc_attr( $letter ); ?>" <?php selected( Settings::pack_type(), $letter ); ?>><?php echo esc_html( $letter . ' — ' . $dimensions ); ?></option>
							<?php endforeach; ?>
						</select>
					</p>
					<p>
						<label><input type="radio" name="mode" value="activate" checked /> <?php esc_html_e( 'Activate now (the customer asked for a return)', 'inpost-quick-returns' ); ?></label><br />
						<label><input type="radio" name="mode" value="assign" /> <?php esc_html_e( 'Only record it as packed with the order', 'inpost-quick-returns' ); ?></label>
					</p>
					<?php wp_nonce_field( 'inpost_qr_activate_code' ); ?>
					<input type="hidden" name="action" value="inpost_qr_activate_code" />
					<p><button type="submit" class="button button-primary"><?php esc_html_e( 'Use the code', 'inpost-quick-returns' ); ?></button></p>
				</form>
			</div>

			<h2><?php esc_html_e( 'Batches', 'inpost-quick-returns' ); ?></h2>
			<?php if ( array() === $batches ) : ?>
				<p><?php esc_html_e( 'No inactive codes yet.', 'inpost-quick-returns' ); ?></p>
			<?php else : ?>
				<table class="widefat striped inpost-qr-batches">
					<thead><tr>
						<th><?php esc_html_e( 'Batch', 'inpost-quick-returns' ); ?></th>
						<th><?php esc_html_e( 'Made (UTC)', 'inpost-quick-returns' ); ?></th>
						<th><?php esc_html_e( 'Codes', 'inpost-quick-returns' ); ?></th>
						<th><?php esc_html_e( 'Unused and unassigned', 'inpost-quick-returns' ); ?></th>
						<th></th>
					</tr></thead>
					<tbody>
					<?php foreach ( $batches as $id => $info ) : ?>
						<tr>
							<td><a href="<?php echo esc_url( self::url( array( 'batch' => $id ) ) ); ?>"><?php echo esc_html( $id ); ?></a></td>
							<td><?php echo esc_html( $info['created_at'] ); ?></td>
							<td><?php echo esc_html( (string) $info['count'] ); ?></td>
							<td><?php echo esc_html( (string) $info['available'] ); ?></td>
							<td><a class="button inpost-qr-csv" href="<?php echo esc_url( wp_nonce_url( admin_url( 'admin-post.php?action=inpost_qr_codes_csv&batch=' . rawurlencode( $id ) ), 'inpost_qr_codes_csv' ) ); ?>"><?php esc_html_e( 'Download CSV', 'inpost-quick-returns' ); ?></a></td>
						</tr>
					<?php endforeach; ?>
					</tbody>
				</table>
			<?php endif; ?>

			<?php if ( $total > 0 ) : ?>
				<h2>
					<?php
					echo esc_html(
						'' !== $batch
							/* translators: %s: batch id */
							? sprintf( __( 'Codes of batch %s', 'inpost-quick-returns' ), $batch )
							: __( 'All codes', 'inpost-quick-returns' )
					);
					?>
				</h2>
				<p class="subsubsub">
					<a href="<?php echo esc_url( self::url( array( 'batch' => $batch ) ) ); ?>"><?php esc_html_e( 'All', 'inpost-quick-returns' ); ?></a> |
					<a href="<?php echo esc_url( self::url( array( 'batch' => $batch, 'state' => 'inactive' ) ) ); ?>"><?php esc_html_e( 'Inactive', 'inpost-quick-returns' ); ?></a> |
					<a href="<?php echo esc_url( self::url( array( 'batch' => $batch, 'state' => 'active' ) ) ); ?>"><?php esc_html_e( 'Active', 'inpost-quick-returns' ); ?></a> |
					<a href="<?php echo esc_url( self::url( array( 'batch' => $batch, 'state' => 'invalidated' ) ) ); ?>"><?php esc_html_e( 'Invalidated', 'inpost-quick-returns' ); ?></a>
				</p>
				<table class="widefat striped inpost-qr-code-list">
					<thead><tr>
						<th><?php esc_html_e( 'Code', 'inpost-quick-returns' ); ?></th>
						<th><?php esc_html_e( 'Batch', 'inpost-quick-returns' ); ?></th>
						<th><?php esc_html_e( 'State', 'inpost-quick-returns' ); ?></th>
						<th><?php esc_html_e( 'Order', 'inpost-quick-returns' ); ?></th>
						<th><?php esc_html_e( 'Size', 'inpost-quick-returns' ); ?></th>
						<th><?php esc_html_e( 'Parcel status', 'inpost-quick-returns' ); ?></th>
						<th></th>
					</tr></thead>
					<tbody>
					<?php foreach ( $codes as $row ) : ?>
						<?php $order = (int) $row['order_id'] > 0 ? wc_get_order( (int) $row['order_id'] ) : false; ?>
						<tr data-code="<?php echo esc_attr( $row['code'] ); ?>">
							<td><code><?php echo esc_html( $row['code'] ); ?></code></td>
							<td><?php echo esc_html( $row['batch'] ); ?></td>
							<td class="inpost-qr-state"><?php echo esc_html( self::state_label( $row['state'] ) ); ?></td>
							<td>
								<?php if ( $order instanceof \WC_Order ) : ?>
									<a href="<?php echo esc_url( $order->get_edit_order_url() ); ?>">#<?php echo esc_html( $order->get_order_number() ); ?></a>
								<?php endif; ?>
							</td>
							<td><?php echo esc_html( $row['pack_type'] ); ?></td>
							<td><?php echo esc_html( $row['status'] ); ?></td>
							<td>
								<?php if ( 'inactive' === $row['state'] ) : ?>
									<a class="button-link-delete inpost-qr-invalidate" href="<?php echo esc_url( wp_nonce_url( admin_url( 'admin-post.php?action=inpost_qr_invalidate_code&code=' . rawurlencode( $row['code'] ) ), 'inpost_qr_invalidate_code_' . $row['code'] ) ); ?>"><?php esc_html_e( 'Invalidate', 'inpost-quick-returns' ); ?></a>
								<?php endif; ?>
							</td>
						</tr>
					<?php endforeach; ?>
					</tbody>
				</table>
				<?php
				$pages = (int) ceil( $total / self::PER_PAGE );
				if ( $pages > 1 ) {
					echo '<p class="tablenav-pages">';
					echo wp_kses_post(
						paginate_links(
							array(
								'base'    => self::url( array( 'batch' => $batch, 'state' => $state, 'paged' => '%#%' ) ),
								'format'  => '',
								'current' => $paged,
								'total'   => $pages,
							)
						)
					);
					echo '</p>';
				}
				?>
			<?php endif; ?>
		</div>
		<?php
	}

	public static function handle_generate(): void {
		self::check( 'inpost_qr_generate_batch' );
		$count = absint( wp_unslash( $_POST['count'] ?? 0 ) ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked above.
		$args  = array();
		try {
			$batch = InactiveCodes::generate_batch( $count );
			/* translators: 1: number of codes, 2: batch id */
			Notices::add( 'success', sprintf( _n( '%1$d inactive code made (batch %2$s).', '%1$d inactive codes made (batch %2$s).', count( $batch['codes'] ), 'inpost-quick-returns' ), count( $batch['codes'] ), $batch['batch'] ) );
			$args['batch'] = $batch['batch'];
		} catch ( \Throwable $e ) {
			Notices::add( 'error', Messages::for_shop( $e ) );
		}
		wp_safe_redirect( self::url( $args ) );
		exit;
	}

	public static function handle_activate(): void {
		self::check( 'inpost_qr_activate_code' );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked above.
		$code   = preg_replace( '/\s+/', '', sanitize_text_field( wp_unslash( $_POST['code'] ?? '' ) ) );
		$number = sanitize_text_field( wp_unslash( $_POST['order'] ?? '' ) );
		$pack   = strtoupper( sanitize_text_field( wp_unslash( $_POST['pack_type'] ?? '' ) ) );
		$mode   = sanitize_key( wp_unslash( $_POST['mode'] ?? 'activate' ) );
		// phpcs:enable
		$order = wc_get_order( (int) apply_filters( 'woocommerce_shortcode_order_tracking_order_id', ltrim( $number, '#' ) ) );
		try {
			if ( ! $order instanceof \WC_Order ) {
				/* translators: %s: what was typed */
				throw new \DomainException( sprintf( __( 'There is no order %s.', 'inpost-quick-returns' ), $number ) );
			}
			if ( 'assign' === $mode ) {
				InactiveCodes::assign( $order, $code );
				/* translators: 1: code, 2: order number */
				Notices::add( 'success', sprintf( __( 'Code %1$s recorded as packed with order #%2$s.', 'inpost-quick-returns' ), $code, $order->get_order_number() ) );
			} else {
				$result = InactiveCodes::activate_for_order( $order, $code, array( 'pack_type' => isset( Settings::PACK_TYPES[ $pack ] ) ? $pack : Settings::pack_type() ) );
				/* translators: 1: code, 2: order number */
				Notices::add( 'success', sprintf( __( 'Code %1$s is active for order #%2$s; the customer gets it by e-mail.', 'inpost-quick-returns' ), $result['code'], $order->get_order_number() ) );
			}
		} catch ( \Throwable $e ) {
			Notices::add( 'error', Messages::for_shop( $e ) );
		}
		wp_safe_redirect( self::url() );
		exit;
	}

	public static function handle_invalidate(): void {
		$code = sanitize_text_field( wp_unslash( $_GET['code'] ?? '' ) ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- checked next.
		self::check( 'inpost_qr_invalidate_code_' . $code );
		try {
			InactiveCodes::invalidate( $code );
			/* translators: %s: the code */
			Notices::add( 'success', sprintf( __( 'The code %s was invalidated.', 'inpost-quick-returns' ), $code ) );
		} catch ( \Throwable $e ) {
			Notices::add( 'error', Messages::for_shop( $e ) );
		}
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : self::url() );
		exit;
	}

	public static function handle_csv(): void {
		self::check( 'inpost_qr_codes_csv' );
		$batch = sanitize_text_field( wp_unslash( $_GET['batch'] ?? '' ) ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- checked above.
		nocache_headers();
		header( 'Content-Type: text/csv; charset=utf-8' );
		header( 'Content-Disposition: attachment; filename="inpost-return-codes' . ( '' !== $batch ? '-' . sanitize_file_name( $batch ) : '' ) . '.csv"' );
		$out = fopen( 'php://output', 'w' );
		InactiveCodes::write_csv( $batch, $out );
		fclose( $out ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
		exit;
	}

	private static function state_label( string $state ): string {
		$labels = array(
			'inactive'    => __( 'inactive', 'inpost-quick-returns' ),
			'active'      => __( 'active', 'inpost-quick-returns' ),
			'invalidated' => __( 'invalidated', 'inpost-quick-returns' ),
		);
		return $labels[ $state ] ?? $state;
	}

	private static function check( string $action ): void {
		check_admin_referer( $action );
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You are not allowed to do this.', 'inpost-quick-returns' ), 403 );
		}
	}
}
