<?php
/**
 * Customer e-mail: the InPost return code (HTML).
 *
 * Override it by copying it to yourtheme/woocommerce/emails/inpost-return-code.php.
 *
 * @package InPostQuickReturns
 *
 * @var WC_Order $order
 * @var array    $return_code code, expires, pack_type
 * @var string   $expires     the expiry, formatted
 * @var string   $dimensions  the locker size's dimensions
 * @var string   $email_heading
 * @var string   $additional_content
 * @var bool     $sent_to_admin
 * @var bool     $plain_text
 * @var WC_Email $email
 */

use InPost\QuickReturns\WooCommerce\Customer\ReturnSection;

defined( 'ABSPATH' ) || exit;

do_action( 'woocommerce_email_header', $email_heading, $email );
?>
<p>
<?php
/* translators: %s: customer's first name */
printf( esc_html__( 'Hi %s,', 'inpost-quick-returns' ), esc_html( $order->get_billing_first_name() ) );
?>
</p>
<p>
<?php
/* translators: %s: order number */
printf( esc_html__( 'here is the code to send order #%s back to us from an InPost Paczkomat locker:', 'inpost-quick-returns' ), esc_html( $order->get_order_number() ) );
?>
</p>
<p style="font-size: 28px; font-weight: bold; letter-spacing: 3px; font-family: monospace;"><?php echo esc_html( (string) ( $return_code['code'] ?? '' ) ); ?></p>
<p>
<?php
printf(
	/* translators: 1: expiry date and time, 2: locker size letter, 3: its dimensions */
	esc_html__( 'Valid until %1$s · locker size %2$s (%3$s, up to 25 kg)', 'inpost-quick-returns' ),
	'<strong>' . esc_html( $expires ) . '</strong>',
	'<strong>' . esc_html( (string) ( $return_code['pack_type'] ?? '' ) ) . '</strong>',
	esc_html( $dimensions )
);
?>
</p>
<h2><?php esc_html_e( 'How to send the parcel back', 'inpost-quick-returns' ); ?></h2>
<ol>
	<?php foreach ( ReturnSection::how_to_steps( (string) ( $return_code['pack_type'] ?? 'A' ) ) as $step ) : ?>
		<li><?php echo esc_html( $step ); ?></li>
	<?php endforeach; ?>
</ol>
<?php
if ( $additional_content ) {
	echo wp_kses_post( wpautop( wptexturize( $additional_content ) ) );
}

do_action( 'woocommerce_email_footer', $email );
