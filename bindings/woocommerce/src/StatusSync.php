<?php
/**
 * Follows return parcels: an Action Scheduler job walks InPost's report every 30 minutes.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

use InPost\QuickReturns\WooCommerce\Admin\Notices;

defined( 'ABSPATH' ) || exit;

/**
 * Reads the report of used codes made since the oldest code still followed, and for each of the
 * shop's orders whose parcel moved: order meta, an order note on drop-off and on delivery, the
 * optional order status, and the action inpost_quick_returns_status_changed.
 */
final class StatusSync {

	public const HOOK     = 'inpost_quick_returns_sync_status';
	public const GROUP    = 'inpost-quick-returns';
	public const INTERVAL = 1800;

	private const SCHEDULED_FLAG = 'inpost_quick_returns_sync_scheduled';

	public static function register(): void {
		add_action( self::HOOK, array( self::class, 'run' ) );
		add_action( 'action_scheduler_init', array( self::class, 'ensure_scheduled' ) );
	}

	/** Schedules the recurring job when it is missing (Action Scheduler stops a job that keeps failing). */
	public static function ensure_scheduled(): void {
		// Admin pages, cron and the command line (WP-CLI); never a visitor's page view.
		if ( ! is_admin() && ! wp_doing_cron() && 'cli' !== PHP_SAPI ) {
			return;
		}
		if ( get_transient( self::SCHEDULED_FLAG ) ) {
			return;
		}
		if ( ! as_has_scheduled_action( self::HOOK, array(), self::GROUP ) ) {
			as_schedule_recurring_action( time() + self::INTERVAL, self::INTERVAL, self::HOOK, array(), self::GROUP, true );
		}
		set_transient( self::SCHEDULED_FLAG, 1, HOUR_IN_SECONDS );
	}

	public static function unschedule(): void {
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
		}
		delete_transient( self::SCHEDULED_FLAG );
	}

	/**
	 * One pass over the report. A failure is rethrown after an admin notice and a log entry, so that
	 * Action Scheduler shows the run as failed with its message.
	 *
	 * @return array{followed: int, records: int, changed: int, skipped: bool}
	 */
	public static function run(): array {
		$summary = array(
			'followed' => 0,
			'records'  => 0,
			'changed'  => 0,
			'skipped'  => false,
		);
		$token   = OrderLock::acquire( 'sync', 0.0 );
		if ( null === $token ) {
			$summary['skipped'] = true; // Another run is walking the report right now.
			return $summary;
		}
		try {
			$followed            = CodeStore::followed();
			$summary['followed'] = count( $followed );
			if ( array() !== $followed ) {
				$oldest = (string) reset( $followed )['created_at'];
				$query  = array(
					'used'      => true,
					// The report selects by creation day; a day of margin on each side covers InPost's time zone.
					'dateRange' => array(
						'startDate' => gmdate( 'Y-m-d', strtotime( $oldest . ' UTC' ) - DAY_IN_SECONDS ),
						'endDate'   => gmdate( 'Y-m-d', time() + DAY_IN_SECONDS ),
					),
				);
				foreach ( Library::client()->reportRecords( $query ) as $record ) {
					++$summary['records'];
					$code = (string) ( $record['code'] ?? '' );
					if ( isset( $followed[ $code ] ) && self::apply( $followed[ $code ], $record ) ) {
						++$summary['changed'];
					}
				}
			}
			Notices::clear_persistent( 'sync' );
			update_option( Settings::PREFIX . 'last_sync', array( 'time' => time() ) + $summary, false );
		} catch ( \Throwable $e ) {
			$message = sprintf(
				/* translators: %s: what went wrong */
				__( 'Checking InPost return parcels failed: %s', 'inpost-quick-returns' ),
				Messages::for_shop( $e )
			);
			Notices::persistent( 'sync', $message );
			( new Log() )->log( 'error', $message );
			throw new \RuntimeException( $message, 0, $e );
		} finally {
			OrderLock::release( 'sync', $token );
		}
		return $summary;
	}

	/**
	 * Checks one code now (the order box's "Check status" button).
	 *
	 * @return bool whether anything changed.
	 */
	public static function check_code( string $code ): bool {
		$row = CodeStore::find( $code );
		if ( null === $row || (int) $row['order_id'] <= 0 ) {
			return false;
		}
		$changed = false;
		foreach ( Library::client()->getReport( array( 'code' => $code ) )['records'] ?? array() as $record ) {
			if ( (string) ( $record['code'] ?? '' ) === $code ) {
				$changed = self::apply( $row, $record ) || $changed;
			}
		}
		return $changed;
	}

	/**
	 * Applies one report record to its order.
	 *
	 * @param array<string, string> $row    the code's row in CodeStore.
	 * @param array<string, mixed>  $record the report record.
	 * @return bool whether the parcel moved.
	 */
	public static function apply( array $row, array $record ): bool {
		$status    = trim( (string) ( $record['reverseReturnPackStatus'] ?? '' ) );
		$pack_code = trim( (string) ( $record['reverseReturnPackCode'] ?? '' ) );
		$used      = true === ( $record['used'] ?? null ) || '' !== $pack_code || '' !== $status;
		if ( ! $used || ( $status === $row['status'] && $pack_code === $row['pack_code'] ) ) {
			return false;
		}
		$order = wc_get_order( (int) $row['order_id'] );
		if ( ! $order instanceof \WC_Order ) {
			return false;
		}
		$old_status  = (string) $row['status'];
		$was_dropped = '' !== $row['status'] || '' !== $row['pack_code'];
		$extra       = is_array( $record['extra'] ?? null ) ? $record['extra'] : array();
		$status_date = (string) ( $extra['statusDate'] ?? $extra['usedDate'] ?? '' );

		$order->update_meta_data( Returns::META_STATUS, $status );
		$order->update_meta_data( Returns::META_PACK_CODE, $pack_code );
		$order->update_meta_data( Returns::META_STATUS_DATE, $status_date );
		$order->save();
		CodeStore::save(
			$row['code'],
			array(
				'status'      => $status,
				'pack_code'   => $pack_code,
				'status_date' => $status_date,
			)
		);

		if ( ! $was_dropped ) {
			/* translators: 1: return code, 2: shipment number */
			$note = sprintf( __( 'The customer dropped the return parcel off at a Paczkomat locker (code %1$s, shipment %2$s).', 'inpost-quick-returns' ), $row['code'], '' !== $pack_code ? $pack_code : '?' );
			self::note_and_move( $order, $note, Settings::status_after( 'dropped_off' ) );
		}
		if ( 'Delivered' === $status && 'Delivered' !== $old_status ) {
			/* translators: 1: shipment number */
			$note = sprintf( __( 'The return parcel was delivered back to the shop (shipment %1$s).', 'inpost-quick-returns' ), '' !== $pack_code ? $pack_code : '?' );
			self::note_and_move( $order, $note, Settings::status_after( 'delivered' ) );
		}

		/**
		 * Fires after the shipment status of an order's return parcel changed.
		 *
		 * @param WC_Order $order      the order.
		 * @param string   $status     the new status, exactly as InPost reports it (e.g. Created, InTransit, Delivered).
		 * @param string   $old_status the previous one ('' before the drop-off).
		 * @param array    $record     the report record.
		 */
		do_action( 'inpost_quick_returns_status_changed', $order, $status, $old_status, $record );
		return true;
	}

	private static function note_and_move( \WC_Order $order, string $note, string $to ): void {
		if ( '' !== $to && $order->get_status() !== $to && wc_is_order_status( 'wc-' . $to ) ) {
			$order->update_status( $to, $note );
		} else {
			$order->add_order_note( $note );
		}
	}
}
