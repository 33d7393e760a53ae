<?php
/**
 * Registers the e-mail with WooCommerce and sends it for every new code.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce\Email;

defined( 'ABSPATH' ) || exit;

/** Kept apart from ReturnCodeEmail, whose parent class WooCommerce loads only when it needs e-mails. */
final class Hooks {

	public static function register(): void {
		add_filter( 'woocommerce_email_classes', array( self::class, 'add_email_class' ) );
		add_action( 'inpost_quick_returns_code_created', array( self::class, 'on_code_created' ), 10, 3 );
	}

	/**
	 * @param array<string, \WC_Email> $emails
	 * @return array<string, \WC_Email>
	 */
	public static function add_email_class( $emails ) {
		$emails['InPost_Quick_Returns_Code'] = new ReturnCodeEmail();
		return $emails;
	}

	/**
	 * Sends the e-mail for a new code unless the caller asked not to. A failure to send becomes an
	 * order note: the code exists, and the customer also sees it in My Account.
	 *
	 * @param array<string, mixed> $code
	 * @param \WC_Order            $order
	 * @param array<string, mixed> $args
	 */
	public static function on_code_created( $code, $order, $args = array() ): void {
		if ( ! $order instanceof \WC_Order || false === ( $args['notify_customer'] ?? true ) ) {
			return;
		}
		try {
			$emails = WC()->mailer()->get_emails();
			$email  = $emails['InPost_Quick_Returns_Code'] ?? null;
			if ( $email instanceof ReturnCodeEmail ) {
				$email->trigger( $order, (array) $code );
			}
		} catch ( \Throwable $e ) {
			/* translators: %s: the error */
			$order->add_order_note( sprintf( __( 'The e-mail with the InPost return code could not be sent: %s', 'inpost-quick-returns' ), $e->getMessage() ) );
		}
	}
}
