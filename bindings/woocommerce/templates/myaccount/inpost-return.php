<?php
/**
 * My Account → view order: InPost return section.
 *
 * Override it by copying it to yourtheme/inpost-quick-returns/myaccount/inpost-return.php.
 *
 * @package InPostQuickReturns
 *
 * @var WC_Order    $order
 * @var array|null  $code        code, expires, pack_type, status, pack_code (null: no code yet)
 * @var array       $eligibility eligible, reason
 * @var array|null  $failed      error, field, pack_type, phone of a failed submission
 * @var array       $pack_types  letter => dimensions
 * @var string      $pack_type   the size to preselect
 * @var string      $phone       the phone to show
 * @var string      $nonce
 * @var string      $action
 * @var string      $expires     the code's expiry, formatted
 * @var string      $button_class the theme's button class (block themes: wp-element-button)
 */

use InPost\QuickReturns\WooCommerce\Customer\ReturnSection;

defined( 'ABSPATH' ) || exit;
?>
<section class="inpost-qr-return" id="inpost-return">
	<h2><?php esc_html_e( 'Return this order', 'inpost-quick-returns' ); ?></h2>

	<?php if ( null !== $code ) : ?>
		<p class="inpost-qr-code-label"><?php esc_html_e( 'Your return code', 'inpost-quick-returns' ); ?></p>
		<p class="inpost-qr-code" data-code="<?php echo esc_attr( $code['code'] ); ?>"><?php echo esc_html( $code['code'] ); ?></p>
		<p class="inpost-qr-code-details">
			<?php
			printf(
				/* translators: 1: expiry date and time, 2: locker size letter, 3: its dimensions */
				esc_html__( 'Valid until %1$s · locker size %2$s (%3$s, up to 25 kg)', 'inpost-quick-returns' ),
				'<strong class="inpost-qr-expires">' . esc_html( $expires ) . '</strong>',
				'<strong class="inpost-qr-size">' . esc_html( $code['pack_type'] ) . '</strong>',
				esc_html( $pack_types[ $code['pack_type'] ] ?? '' )
			);
			?>
		</p>
		<?php $status_text = ReturnSection::status_text( $code ); ?>
		<?php if ( '' !== $status_text ) : ?>
			<p class="inpost-qr-status"><?php echo esc_html( $status_text ); ?></p>
		<?php else : ?>
			<h3><?php esc_html_e( 'How to send the parcel back', 'inpost-quick-returns' ); ?></h3>
			<ol class="inpost-qr-steps">
				<?php foreach ( ReturnSection::how_to_steps( $code['pack_type'] ) as $step ) : ?>
					<li><?php echo esc_html( $step ); ?></li>
				<?php endforeach; ?>
			</ol>
		<?php endif; ?>

	<?php elseif ( $eligibility['eligible'] ) : ?>
		<details class="inpost-qr-request"<?php echo null !== $failed ? ' open' : ''; ?>>
			<summary class="button <?php echo esc_attr( $button_class ); ?>"><?php esc_html_e( 'Return with InPost Paczkomat', 'inpost-quick-returns' ); ?></summary>
			<form method="post" class="inpost-qr-form" action="<?php echo esc_url( $order->get_view_order_url() . '#inpost-return' ); ?>">
				<?php if ( null !== $failed ) : ?>
					<div class="woocommerce-error inpost-qr-error" role="alert"><?php echo esc_html( $failed['error'] ); ?></div>
				<?php endif; ?>
				<p><?php esc_html_e( 'Send the goods back from any InPost Paczkomat locker. Choose the size of locker your parcel fits:', 'inpost-quick-returns' ); ?></p>
				<fieldset class="inpost-qr-sizes">
					<legend><?php esc_html_e( 'Parcel size', 'inpost-quick-returns' ); ?></legend>
					<?php foreach ( $pack_types as $letter => $dimensions ) : ?>
						<label class="inpost-qr-size-option">
							<input type="radio" name="inpost_qr_pack_type" value="<?php echo esc_attr( $letter ); ?>" <?php checked( $pack_type, $letter ); ?> />
							<?php
							printf(
								/* translators: 1: size letter, 2: dimensions */
								esc_html__( 'Size %1$s — %2$s', 'inpost-quick-returns' ),
								'<strong>' . esc_html( $letter ) . '</strong>',
								esc_html( $dimensions )
							);
							?>
						</label>
					<?php endforeach; ?>
				</fieldset>
				<p class="form-row<?php echo null !== $failed && 'senderPhone' === $failed['field'] ? ' woocommerce-invalid' : ''; ?>">
					<label for="inpost_qr_phone"><?php esc_html_e( 'Mobile phone number', 'inpost-quick-returns' ); ?></label>
					<input type="tel" class="input-text" id="inpost_qr_phone" name="inpost_qr_phone" value="<?php echo esc_attr( $phone ); ?>" autocomplete="tel" <?php echo null !== $failed && 'senderPhone' === $failed['field'] ? 'aria-invalid="true" autofocus' : ''; ?> />
					<span class="description"><?php esc_html_e( 'InPost also sends the code to this number by text message: a Polish mobile number, 9 digits.', 'inpost-quick-returns' ); ?></span>
				</p>
				<input type="hidden" name="inpost_qr_action" value="<?php echo esc_attr( $action ); ?>" />
				<input type="hidden" name="order_id" value="<?php echo esc_attr( (string) $order->get_id() ); ?>" />
				<input type="hidden" name="_inpost_qr_nonce" value="<?php echo esc_attr( $nonce ); ?>" />
				<p><button type="submit" class="button inpost-qr-submit <?php echo esc_attr( $button_class ); ?>"><?php esc_html_e( 'Get my return code', 'inpost-quick-returns' ); ?></button></p>
			</form>
		</details>

	<?php else : ?>
		<p class="inpost-qr-not-eligible"><?php echo esc_html( $eligibility['reason'] ); ?></p>
	<?php endif; ?>
</section>
