<?php
/**
 * Customer e-mail: the InPost return code (plain text).
 *
 * Override it by copying it to yourtheme/woocommerce/emails/plain/inpost-return-code.php.
 *
 * @package InPostQuickReturns
 *
 * @var WC_Order $order
 * @var array    $return_code code, expires, pack_type
 * @var string   $expires     the expiry, formatted
 * @var string   $dimensions  the locker size's dimensions
 * @var string   $email_heading
 * @var string   $additional_content
 * @var WC_Email $email
 */

use InPost\QuickReturns\WooCommerce\Customer\ReturnSection;

defined( 'ABSPATH' ) || exit;

echo "=================================================================\n";
echo esc_html( wp_strip_all_tags( $email_heading ) ) . "\n";
echo "=================================================================\n\n";

/* translators: %s: customer's first name */
echo sprintf( esc_html__( 'Hi %s,', 'inpost-quick-returns' ), esc_html( $order->get_billing_first_name() ) ) . "\n\n";
/* translators: %s: order number */
echo sprintf( esc_html__( 'here is the code to send order #%s back to us from an InPost Paczkomat locker:', 'inpost-quick-returns' ), esc_html( $order->get_order_number() ) ) . "\n\n";
echo '    ' . esc_html( (string) ( $return_code['code'] ?? '' ) ) . "\n\n";
/* translators: 1: expiry date and time, 2: locker size letter, 3: its dimensions */
echo sprintf( esc_html__( 'Valid until %1$s · locker size %2$s (%3$s, up to 25 kg)', 'inpost-quick-returns' ), esc_html( $expires ), esc_html( (string) ( $return_code['pack_type'] ?? '' ) ), esc_html( $dimensions ) ) . "\n\n";
echo esc_html__( 'How to send the parcel back', 'inpost-quick-returns' ) . "\n";
foreach ( ReturnSection::how_to_steps( (string) ( $return_code['pack_type'] ?? 'A' ) ) as $index => $step ) {
	echo ( $index + 1 ) . '. ' . esc_html( $step ) . "\n";
}
echo "\n";
if ( $additional_content ) {
	echo esc_html( wp_strip_all_tags( wptexturize( $additional_content ) ) ) . "\n\n";
}
echo wp_kses_post( apply_filters( 'woocommerce_email_footer_text', get_option( 'woocommerce_email_footer_text' ) ) );
