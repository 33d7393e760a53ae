<?php
/**
 * Return codes for orders: made once per order, whatever the number of requests asking at once.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

use InPost\QuickReturns\Exception\InvalidInputException;

defined( 'ABSPATH' ) || exit;

/**
 * The one place that asks InPost for an order's code (scenario 1: generateActiveCode; scenario 2:
 * activateCode for an inactive code assigned to the order), stores it and tells everyone.
 */
final class Returns {

	public const META_CODE        = '_inpost_return_code';
	public const META_EXPIRES     = '_inpost_return_expires';
	public const META_STATUS      = '_inpost_return_status';
	public const META_PACK_TYPE   = '_inpost_return_pack_type';
	public const META_PACK_CODE   = '_inpost_return_pack_code';
	public const META_STATUS_DATE = '_inpost_return_status_date';
	public const META_CREATED     = '_inpost_return_created';
	/** An inactive code from a batch, packed with the order and activated when a return is asked for. */
	public const META_INACTIVE = '_inpost_inactive_code';

	/** How long a request waits for another one that is already getting the order's code. */
	public const WAIT_SECONDS = 25.0;

	/**
	 * The order's return code: the existing one, else a new one from InPost.
	 *
	 * @param array<string, mixed> $args pack_type (A, B, C), phone (instead of the billing phone),
	 *                                   validity_days, context (customer, admin, api, batch),
	 *                                   notify_customer (bool), wait (seconds).
	 * @return array{code: string, expires: string, pack_type: string, status: string, pack_code: string, order_id: int, created: bool}
	 * @throws \Throwable a QuickReturnsException of the PHP package, BusyException, or \RuntimeException
	 *                    when the plugin cannot load the library; an order note says what happened.
	 */
	public static function generate_code( \WC_Order $order, array $args = array() ): array {
		$existing = self::current( $order );
		if ( null !== $existing ) {
			return $existing + array( 'created' => false );
		}
		$args = wp_parse_args(
			$args,
			array(
				'pack_type'       => Settings::pack_type(),
				'phone'           => null,
				'validity_days'   => Settings::validity_days(),
				'context'         => 'api',
				'notify_customer' => true,
				'wait'            => self::WAIT_SECONDS,
			)
		);

		$lock  = 'order_' . $order->get_id();
		$token = OrderLock::acquire( $lock, (float) $args['wait'] );
		if ( null === $token ) {
			$existing = self::stored_elsewhere( $order );
			if ( null !== $existing ) {
				return $existing + array( 'created' => false );
			}
			throw new BusyException( Messages::for_shop( new BusyException() ) );
		}
		try {
			// Another request may have finished while this one waited for the lock.
			$existing = self::stored_elsewhere( $order );
			if ( null !== $existing ) {
				return $existing + array( 'created' => false );
			}
			$code = self::ask_inpost( $order, $args );
		} catch ( \Throwable $e ) {
			self::note_failure( $order, $e, (string) $args['context'] );
			throw $e;
		} finally {
			OrderLock::release( $lock, $token );
		}

		/**
		 * Fires after a return code was made (or an inactive code activated) for an order.
		 *
		 * @param array    $code  code, expires, pack_type, status, pack_code, order_id.
		 * @param WC_Order $order the order.
		 * @param array    $args  context, notify_customer, pack_type, … as given to the API.
		 */
		do_action( 'inpost_quick_returns_code_created', $code, $order, $args );

		return $code + array( 'created' => true );
	}

	/**
	 * The order's code as the API returns it, or null when it has none.
	 *
	 * @return array{code: string, expires: string, pack_type: string, status: string, pack_code: string, order_id: int}|null
	 */
	public static function current( \WC_Order $order ): ?array {
		$code = (string) $order->get_meta( self::META_CODE );
		if ( '' === $code ) {
			return null;
		}
		return array(
			'code'      => $code,
			'expires'   => (string) $order->get_meta( self::META_EXPIRES ),
			'pack_type' => (string) $order->get_meta( self::META_PACK_TYPE ),
			'status'    => (string) $order->get_meta( self::META_STATUS ),
			'pack_code' => (string) $order->get_meta( self::META_PACK_CODE ),
			'order_id'  => (int) $order->get_id(),
		);
	}

	/**
	 * The code another process stored since $order was loaded: read from the database, bypassing
	 * caches. When there is one, $order's meta is reloaded so that it shows it too.
	 *
	 * @return array{code: string, expires: string, pack_type: string, status: string, pack_code: string, order_id: int}|null
	 */
	private static function stored_elsewhere( \WC_Order $order ): ?array {
		$fresh = wc_get_order( $order->get_id() );
		if ( ! $fresh instanceof \WC_Order ) {
			return null;
		}
		$fresh->read_meta_data( true );
		$existing = self::current( $fresh );
		if ( null !== $existing ) {
			$order->read_meta_data( true );
		}
		return $existing;
	}

	/**
	 * Whether the customer may ask for a return of this order now.
	 *
	 * @return array{eligible: bool, reason: string}
	 */
	public static function eligibility( \WC_Order $order ): array {
		$result = array(
			'eligible' => true,
			'reason'   => '',
		);
		if ( ! in_array( 'wc-' . $order->get_status(), Settings::eligible_statuses(), true ) ) {
			$result = array(
				'eligible' => false,
				'reason'   => __( 'Returns through InPost are not available for this order in its current status.', 'inpost-quick-returns' ),
			);
		} else {
			$days      = Settings::return_days();
			$completed = $order->get_date_completed();
			if ( $days > 0 && null !== $completed && $completed->getTimestamp() + $days * DAY_IN_SECONDS < time() ) {
				$result = array(
					'eligible' => false,
					/* translators: 1: number of days, 2: date */
					'reason'   => sprintf( _n( 'The return period of %1$d day after completion ended on %2$s.', 'The return period of %1$d days after completion ended on %2$s.', $days, 'inpost-quick-returns' ), $days, wc_format_datetime( ( clone $completed )->modify( '+' . $days . ' days' ) ) ),
				);
			}
		}
		/**
		 * Filters whether the customer may ask for an InPost return code for the order.
		 *
		 * @param array    $result eligible (bool) and reason (shown to the customer when not eligible).
		 * @param WC_Order $order  the order.
		 */
		return (array) apply_filters( 'inpost_quick_returns_eligibility', $result, $order );
	}

	/** The label text (returnDescription1) from the settings' template. */
	public static function label( \WC_Order $order ): string {
		return trim(
			strtr(
				Settings::label_template(),
				array(
					'{order_number}'  => (string) $order->get_order_number(),
					'{order_id}'      => (string) $order->get_id(),
					'{customer_name}' => trim( $order->get_formatted_billing_full_name() ),
					'{site_title}'    => wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES ),
				)
			)
		);
	}

	/** The expiry sent to InPost: the end of the day, validity_days from today in the shop's time zone. */
	public static function expiration( int $days ): string {
		return ( new \DateTimeImmutable( 'now', wp_timezone() ) )->modify( '+' . max( 1, $days ) . ' days' )->format( 'Y-m-d' ) . 'T23:59:59';
	}

	/**
	 * Asks InPost (generate, or activate the assigned inactive code) and stores the answer.
	 *
	 * @param array<string, mixed> $args see generate_code().
	 * @return array{code: string, expires: string, pack_type: string, status: string, pack_code: string, order_id: int}
	 */
	private static function ask_inpost( \WC_Order $order, array $args ): array {
		$phone    = null !== $args['phone'] && '' !== trim( (string) $args['phone'] ) ? trim( (string) $args['phone'] ) : (string) $order->get_billing_phone();
		$input    = array(
			'rma'            => (string) $order->get_order_number(),
			'packType'       => strtoupper( trim( (string) $args['pack_type'] ) ),
			'expirationDate' => self::expiration( (int) $args['validity_days'] ),
			'senderPhone'    => $phone,
			'senderEmail'    => (string) $order->get_billing_email(),
		);
		$label    = self::label( $order );
		if ( '' !== $label ) {
			$input['returnDescription1'] = $label;
		}
		if ( ! isset( Settings::PACK_TYPES[ $input['packType'] ] ) ) {
			throw new InvalidInputException( 'packType must be A, B or C', 'packType' );
		}
		$inactive = (string) $order->get_meta( self::META_INACTIVE );
		/**
		 * Filters what is sent to InPost for an order's code (e.g. to add an `address`).
		 *
		 * @param array    $input    rma, packType, expirationDate, senderPhone, senderEmail, returnDescription1.
		 * @param WC_Order $order    the order.
		 * @param string   $inactive the inactive code being activated, or ''.
		 */
		$input  = (array) apply_filters( 'inpost_quick_returns_code_input', $input, $order, $inactive );
		$client = Library::client();
		if ( '' !== $inactive ) {
			$value = $client->activateCode( array( 'code' => $inactive ) + $input );
			$code  = (string) ( $value['code'] ?? '' ) !== '' ? (string) $value['code'] : $inactive;
		} else {
			$value = $client->generateActiveCode( $input );
			$code  = (string) $value['code'];
		}
		$expires   = (string) ( $value['expirationDate'] ?? '' ) !== '' ? (string) $value['expirationDate'] : $input['expirationDate'];
		$pack_type = (string) ( $value['packType'] ?? '' ) !== '' ? strtoupper( (string) $value['packType'] ) : $input['packType'];

		$order->update_meta_data( self::META_CODE, $code );
		$order->update_meta_data( self::META_EXPIRES, $expires );
		$order->update_meta_data( self::META_PACK_TYPE, $pack_type );
		$order->update_meta_data( self::META_STATUS, '' );
		$order->update_meta_data( self::META_PACK_CODE, '' );
		$order->update_meta_data( self::META_CREATED, gmdate( 'Y-m-d\TH:i:s\Z' ) );
		$order->delete_meta_data( self::META_INACTIVE );
		if ( $phone !== (string) $order->get_billing_phone() ) {
			/* translators: 1: old phone, 2: new phone */
			$order->add_order_note( sprintf( __( 'The customer corrected the billing phone from "%1$s" to "%2$s" to get the InPost return code.', 'inpost-quick-returns' ), $order->get_billing_phone(), $phone ) );
			$order->set_billing_phone( $phone );
		}
		$order->save();

		CodeStore::save(
			$code,
			array(
				'uuid'      => (string) ( $value['uuid'] ?? '' ),
				'origin'    => '' !== $inactive ? 'batch' : 'order',
				'state'     => 'active',
				'order_id'  => (int) $order->get_id(),
				'pack_type' => $pack_type,
				'expires'   => $expires,
			)
		);

		$order->add_order_note(
			sprintf(
				/* translators: 1: return code, 2: locker size A/B/C, 3: expiry, 4: who asked (e.g. "the customer in My Account") */
				__( 'InPost return code %1$s (locker size %2$s), valid until %3$s. Asked for by %4$s.', 'inpost-quick-returns' ),
				$code,
				$pack_type,
				self::format_expiry( $expires ),
				self::who( (string) $args['context'] )
			)
		);

		return (array) self::current( $order );
	}

	/** Adds an order note for a failure (never with credentials: the messages carry none). */
	public static function note_failure( \WC_Order $order, \Throwable $e, string $context ): void {
		$order->add_order_note(
			sprintf(
				/* translators: 1: who asked, 2: what went wrong and what to do */
				__( 'No InPost return code (asked for by %1$s): %2$s', 'inpost-quick-returns' ),
				self::who( $context ),
				Messages::for_shop( $e )
			)
		);
	}

	/** An expiry as the shop reads it: InPost's 2030-12-31T23:59:59 becomes the site's date and time format. */
	public static function format_expiry( string $expires ): string {
		$date = \DateTimeImmutable::createFromFormat( 'Y-m-d\TH:i:s', $expires, wp_timezone() );
		if ( false === $date ) {
			return $expires;
		}
		return wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $date->getTimestamp() );
	}

	/** Who asked for a code, for order notes. */
	private static function who( string $context ): string {
		switch ( $context ) {
			case 'customer':
				return __( 'the customer in My Account', 'inpost-quick-returns' );
			case 'admin':
				$user = wp_get_current_user();
				/* translators: %s: the shop manager's display name */
				return $user->exists() ? sprintf( __( 'the shop manager %s', 'inpost-quick-returns' ), $user->display_name ) : __( 'a shop manager', 'inpost-quick-returns' );
			case 'batch':
				return __( 'the inactive codes screen', 'inpost-quick-returns' );
			default:
				return __( 'another plugin (inpost_quick_returns_generate_code)', 'inpost-quick-returns' );
		}
	}
}
