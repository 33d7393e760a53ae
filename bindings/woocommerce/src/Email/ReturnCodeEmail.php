<?php
/**
 * The customer's e-mail with the return code (WooCommerce → Settings → Emails → InPost return code).
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce\Email;

use InPost\QuickReturns\WooCommerce\Returns;
use InPost\QuickReturns\WooCommerce\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * A WooCommerce e-mail, so that the shop edits its subject, heading, text and on/off switch like
 * every other one, and themes can override its templates (emails/inpost-return-code.php).
 * Loaded only when WooCommerce builds its e-mails (see Hooks).
 */
class ReturnCodeEmail extends \WC_Email {

	public const ID = 'inpost_quick_returns_code';

	/**
	 * The code being sent: code, expires, pack_type, …
	 *
	 * @var array<string, mixed>
	 */
	public $return_code = array();

	public function __construct() {
		$this->id             = self::ID;
		$this->customer_email = true;
		$this->title          = __( 'InPost return code', 'inpost-quick-returns' );
		$this->description    = __( 'Sent to the customer when an InPost return code was made for their order: the code, its expiry and how to use it at a Paczkomat locker.', 'inpost-quick-returns' );
		$this->template_html  = 'emails/inpost-return-code.php';
		$this->template_plain = 'emails/plain/inpost-return-code.php';
		$this->template_base  = INPOST_QR_PLUGIN_DIR . 'templates/';
		$this->placeholders   = array(
			'{order_date}'   => '',
			'{order_number}' => '',
			'{return_code}'  => '',
		);
		parent::__construct();
	}

	/**
	 * @param \WC_Order            $order
	 * @param array<string, mixed> $code
	 */
	public function trigger( $order, array $code = array() ): void {
		$this->setup_locale();
		$this->object                         = $order;
		$this->return_code                    = $code;
		$this->recipient                      = $order->get_billing_email();
		$this->placeholders['{order_date}']   = wc_format_datetime( $order->get_date_created() );
		$this->placeholders['{order_number}'] = $order->get_order_number();
		$this->placeholders['{return_code}']  = (string) ( $code['code'] ?? '' );
		if ( $this->is_enabled() && $this->get_recipient() ) {
			$sent = $this->send( $this->get_recipient(), $this->get_subject(), $this->get_content(), $this->get_headers(), $this->get_attachments() );
			if ( ! $sent ) {
				/* translators: %s: e-mail address */
				$order->add_order_note( sprintf( __( 'The e-mail with the InPost return code to %s could not be sent.', 'inpost-quick-returns' ), $this->get_recipient() ) );
			}
		}
		$this->restore_locale();
	}

	public function get_default_subject() {
		return __( '[{site_title}]: your InPost return code for order #{order_number}', 'inpost-quick-returns' );
	}

	public function get_default_heading() {
		return __( 'Your return code: {return_code}', 'inpost-quick-returns' );
	}

	public function get_default_additional_content() {
		return __( 'If anything is unclear, just reply to this e-mail.', 'inpost-quick-returns' );
	}

	/** @return array<string, mixed> */
	private function template_args( bool $plain ): array {
		$pack_type = (string) ( $this->return_code['pack_type'] ?? 'A' );
		return array(
			'order'              => $this->object,
			'return_code'        => $this->return_code,
			'expires'            => Returns::format_expiry( (string) ( $this->return_code['expires'] ?? '' ) ),
			'dimensions'         => Settings::PACK_TYPES[ $pack_type ] ?? '',
			'email_heading'      => $this->get_heading(),
			'additional_content' => $this->get_additional_content(),
			'sent_to_admin'      => false,
			'plain_text'         => $plain,
			'email'              => $this,
		);
	}

	public function get_content_html() {
		return wc_get_template_html( $this->template_html, $this->template_args( false ), '', $this->template_base );
	}

	public function get_content_plain() {
		return wc_get_template_html( $this->template_plain, $this->template_args( true ), '', $this->template_base );
	}
}
