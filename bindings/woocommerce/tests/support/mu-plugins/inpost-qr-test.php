<?php
/**
 * Test shop only (installed by tests/support/shop.mjs, never part of the plugin):
 * e-mails are written as JSON files to INPOST_QR_TEST_MAIL_DIR instead of being sent (there is
 * no mail server), and Action Scheduler's background runner stays off, so that scheduled actions
 * run only when a test runs them (through WooCommerce → Status → Scheduled Actions or PHP).
 *
 * @package InPostQuickReturns
 */

add_filter(
	'pre_wp_mail',
	static function ( $short_circuit, $atts ) {
		if ( ! defined( 'INPOST_QR_TEST_MAIL_DIR' ) ) {
			return $short_circuit;
		}
		$file = INPOST_QR_TEST_MAIL_DIR . '/' . sprintf( '%.6f', microtime( true ) ) . '-' . getmypid() . '.json';
		file_put_contents(
			$file,
			wp_json_encode(
				array(
					'to'      => $atts['to'],
					'subject' => $atts['subject'],
					'message' => $atts['message'],
					'headers' => $atts['headers'],
				),
				JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES
			)
		);
		return true;
	},
	10,
	2
);

add_filter( 'action_scheduler_allow_async_request_runner', '__return_false' );
