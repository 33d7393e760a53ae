<?php
/**
 * Turns failures into sentences for order notes, admin notices and customers.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

use InPost\QuickReturns\Exception\ApiException;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;
use InPost\QuickReturns\Exception\UsageException;

defined( 'ABSPATH' ) || exit;

/**
 * The PHP package's messages never contain the account's e-mail or password; these sentences
 * only add context, so credentials cannot reach a note, a notice or a log through them.
 */
final class Messages {

	/** The error's kind as the contract names it (invalid_input, api, …), or 'plugin'. */
	public static function kind( \Throwable $e ): string {
		return $e instanceof QuickReturnsException ? $e->getKind() : ( $e instanceof BusyException ? 'busy' : 'plugin' );
	}

	/** For the shop: what went wrong and what to do, e.g. in an order note or an admin notice. */
	public static function for_shop( \Throwable $e ): string {
		$message = self::sentence( $e->getMessage() );
		if ( $e instanceof InvalidInputException ) {
			$field = (string) $e->getField();
			if ( str_starts_with( $field, 'config.' ) ) {
				/* translators: 1: the library's message, 2: the setting's name, e.g. config.password */
				return sprintf( __( 'The InPost account settings are incomplete or wrong: %1$s (%2$s). See WooCommerce → Settings → InPost Returns.', 'inpost-quick-returns' ), $message, $field );
			}
			if ( 'senderPhone' === $field ) {
				/* translators: %s: the library's message */
				return sprintf( __( 'The phone number is not a Polish mobile number InPost accepts (9 digits, e.g. 600 100 200): %s Correct it and try again; nothing was sent to InPost.', 'inpost-quick-returns' ), $message );
			}
			/* translators: 1: the field, e.g. senderEmail, 2: the library's message */
			return sprintf( __( 'Invalid value in %1$s: %2$s Nothing was sent to InPost.', 'inpost-quick-returns' ), $field, $message );
		}
		if ( $e instanceof ApiException ) {
			if ( 'Unauthorized' === $e->getKey() ) {
				return __( 'InPost did not accept the login (Unauthorized). Check the e-mail and password under WooCommerce → Settings → InPost Returns.', 'inpost-quick-returns' );
			}
			/* translators: 1: InPost's error key, e.g. CodeNotFound, 2: InPost's message (in Polish) */
			return sprintf( __( 'InPost refused the request (%1$s): %2$s', 'inpost-quick-returns' ), $e->getKey() ?? __( 'no key', 'inpost-quick-returns' ), $message );
		}
		if ( $e instanceof UnexpectedResponseException ) {
			/* translators: 1: HTTP status, 2: the library's message */
			$text = sprintf( __( 'InPost answered with something unexpected (HTTP %1$s): %2$s Try again later.', 'inpost-quick-returns' ), (string) ( $e->getStatus() ?? '?' ), $message );
			return $text . self::may_have_succeeded( $e );
		}
		if ( $e instanceof TransportException ) {
			/* translators: %s: the library's message */
			return sprintf( __( 'InPost could not be reached: %s Try again later.', 'inpost-quick-returns' ), $message ) . self::may_have_succeeded( $e );
		}
		if ( $e instanceof UsageException ) {
			/* translators: %s: the library's message, which says what to change */
			return sprintf( __( 'The InPost library cannot be used on this server: %s See WooCommerce → Settings → InPost Returns.', 'inpost-quick-returns' ), $message );
		}
		if ( $e instanceof BusyException ) {
			return __( 'Another request is getting this order\'s return code from InPost right now. Reload the page in a moment.', 'inpost-quick-returns' );
		}
		return $message;
	}

	/** For the customer: never InPost's internals, only what they can do. */
	public static function for_customer( \Throwable $e ): string {
		if ( $e instanceof InvalidInputException && 'senderPhone' === $e->getField() ) {
			return __( 'InPost needs a Polish mobile phone number of 9 digits, e.g. 600 100 200 (a +48 prefix is fine). Please correct your phone number below and try again.', 'inpost-quick-returns' );
		}
		if ( $e instanceof InvalidInputException && 'senderEmail' === $e->getField() ) {
			return __( 'The e-mail address of this order is not one InPost accepts. Please contact us and we will arrange the return.', 'inpost-quick-returns' );
		}
		if ( $e instanceof BusyException ) {
			return __( 'Your return code is being prepared right now. Please reload the page in a moment.', 'inpost-quick-returns' );
		}
		if ( $e instanceof TransportException || $e instanceof UnexpectedResponseException ) {
			return __( 'InPost cannot be reached right now. Please try again in a few minutes.', 'inpost-quick-returns' );
		}
		return __( 'We could not get a return code from InPost. Please try again later or contact us; we have been notified.', 'inpost-quick-returns' );
	}

	/** The exception's own message, ending with a full stop. */
	private static function sentence( string $message ): string {
		$message = trim( $message );
		return ( '' === $message || preg_match( '/[.!?]$/u', $message ) ) ? $message : $message . '.';
	}

	/** The PHP client marks errors after which InPost may have acted anyway. */
	private static function may_have_succeeded( \Throwable $e ): string {
		if ( method_exists( $e, 'mayHaveSucceeded' ) && $e->mayHaveSucceeded() ) {
			return ' ' . __( 'InPost may have carried out the request anyway; check the report before repeating it.', 'inpost-quick-returns' );
		}
		return '';
	}
}
