<?php
/**
 * Scenario 2: batches of inactive codes, packed with products and activated for an order.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

defined( 'ABSPATH' ) || exit;

/**
 * A batch is stored in CodeStore (origin 'batch'). A code can be assigned to an order (it went
 * into the parcel) and is activated when the customer asks for a return — or activated for an
 * order at once. Unused inactive codes can be invalidated.
 */
final class InactiveCodes {

	/**
	 * Asks InPost for $count inactive codes and stores them as one batch.
	 *
	 * @return array{batch: string, codes: list<string>}
	 * @throws \Throwable a QuickReturnsException of the PHP package (the caller shows a notice).
	 */
	public static function generate_batch( int $count ): array {
		if ( $count < 1 ) {
			throw new \InvalidArgumentException( __( 'Ask for at least one code.', 'inpost-quick-returns' ) );
		}
		$answer = Library::client()->generateInactiveCodes( $count );
		$batch  = gmdate( 'Ymd-His' ) . '-' . substr( str_replace( '-', '', wp_generate_uuid4() ), 0, 4 );
		$codes  = array();
		foreach ( $answer['codes'] ?? array() as $item ) {
			$code = (string) ( $item['code'] ?? '' );
			if ( '' === $code ) {
				continue;
			}
			CodeStore::save(
				$code,
				array(
					'uuid'   => (string) ( $item['uuid'] ?? '' ),
					'origin' => 'batch',
					'batch'  => $batch,
					'state'  => false === ( $item['active'] ?? false ) ? 'inactive' : 'active',
				)
			);
			$codes[] = $code;
		}
		return array(
			'batch' => $batch,
			'codes' => $codes,
		);
	}

	/**
	 * Records that an inactive code went into the order's parcel; it is activated when a return is asked for.
	 *
	 * @throws \DomainException when the code is not an available inactive code, or the order has a code.
	 */
	public static function assign( \WC_Order $order, string $code ): void {
		$code = trim( $code );
		if ( null !== Returns::current( $order ) ) {
			/* translators: 1: order number, 2: its return code */
			throw new \DomainException( sprintf( __( 'Order #%1$s already has the return code %2$s.', 'inpost-quick-returns' ), $order->get_order_number(), Returns::current( $order )['code'] ) );
		}
		$assigned = (string) $order->get_meta( Returns::META_INACTIVE );
		if ( '' !== $assigned && $assigned !== $code ) {
			/* translators: 1: order number, 2: the inactive code */
			throw new \DomainException( sprintf( __( 'Order #%1$s already has the inactive code %2$s.', 'inpost-quick-returns' ), $order->get_order_number(), $assigned ) );
		}
		if ( $assigned === $code ) {
			return;
		}
		if ( ! self::claim( $code, (int) $order->get_id() ) ) {
			/* translators: %s: the code */
			throw new \DomainException( sprintf( __( 'The code %s is not an unused inactive code from a batch of this shop.', 'inpost-quick-returns' ), $code ) );
		}
		$order->update_meta_data( Returns::META_INACTIVE, $code );
		$order->save();
		/* translators: %s: the code */
		$order->add_order_note( sprintf( __( 'Inactive InPost return code %s packed with this order; it is activated when a return is asked for.', 'inpost-quick-returns' ), $code ) );
	}

	/**
	 * Activates an inactive code for the order (assigning it first).
	 *
	 * @param array<string, mixed> $args as for Returns::generate_code().
	 * @return array<string, mixed> the order's code, as Returns::generate_code() returns it.
	 * @throws \Throwable \DomainException (see assign()), or what Returns::generate_code() throws.
	 */
	public static function activate_for_order( \WC_Order $order, string $code, array $args = array() ): array {
		self::assign( $order, $code );
		return Returns::generate_code( $order, $args + array( 'context' => 'batch' ) );
	}

	/**
	 * Disables an unused inactive code at InPost.
	 *
	 * @throws \Throwable \DomainException when the code is not an inactive code of this shop, or a QuickReturnsException.
	 */
	public static function invalidate( string $code ): void {
		$row = CodeStore::find( $code );
		if ( null === $row || 'inactive' !== $row['state'] ) {
			/* translators: %s: the code */
			throw new \DomainException( sprintf( __( 'The code %s is not an inactive code of this shop; InPost disables only inactive, unused codes.', 'inpost-quick-returns' ), $code ) );
		}
		$order = (int) $row['order_id'] > 0 ? wc_get_order( (int) $row['order_id'] ) : false;
		try {
			Library::client()->invalidateCode( $code );
		} catch ( \Throwable $e ) {
			if ( $order instanceof \WC_Order ) {
				/* translators: 1: the code, 2: what went wrong */
				$order->add_order_note( sprintf( __( 'The inactive InPost return code %1$s could not be invalidated: %2$s', 'inpost-quick-returns' ), $code, Messages::for_shop( $e ) ) );
			}
			throw $e;
		}
		CodeStore::save( $code, array( 'state' => 'invalidated' ) );
		if ( $order instanceof \WC_Order ) {
			if ( (string) $order->get_meta( Returns::META_INACTIVE ) === $code ) {
				$order->delete_meta_data( Returns::META_INACTIVE );
				$order->save();
			}
			/* translators: %s: the code */
			$order->add_order_note( sprintf( __( 'The inactive InPost return code %s was invalidated; it can no longer be used.', 'inpost-quick-returns' ), $code ) );
		}
		/**
		 * Fires after an inactive code was invalidated at InPost.
		 *
		 * @param string         $code  the code.
		 * @param WC_Order|false $order the order it was packed with, if any.
		 */
		do_action( 'inpost_quick_returns_code_invalidated', $code, $order );
	}

	/** Writes a batch (or all batch codes) as CSV to the output stream. */
	public static function write_csv( string $batch, $stream ): void {
		fputcsv( $stream, array( 'code', 'uuid', 'batch', 'created_utc', 'state', 'order_id' ), ',', '"', '' );
		$offset = 0;
		do {
			$rows = CodeStore::batch_codes( $batch, '', 1000, $offset );
			foreach ( $rows as $row ) {
				$cells = array( $row['code'], $row['uuid'], $row['batch'], $row['created_at'], $row['state'], (int) $row['order_id'] > 0 ? $row['order_id'] : '' );
				// A spreadsheet must never read a cell as a formula.
				$cells = array_map( static fn ( $cell ) => preg_match( '/^[=+\-@\t\r]/', (string) $cell ) ? "'" . $cell : (string) $cell, $cells );
				fputcsv( $stream, $cells, ',', '"', '' );
			}
			$offset += 1000;
		} while ( count( $rows ) === 1000 );
	}

	/** Takes an available batch code for an order (one conditional UPDATE, safe against a second admin). */
	private static function claim( string $code, int $order_id ): bool {
		global $wpdb;
		$table = CodeStore::table();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		return 1 === $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET order_id = %d WHERE code = %s AND origin = 'batch' AND state = 'inactive' AND order_id = 0", $order_id, $code ) );
	}
}
