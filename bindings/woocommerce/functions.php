<?php
/**
 * The plugin's public PHP API for other plugins and themes.
 *
 * @package InPostQuickReturns
 */

defined( 'ABSPATH' ) || exit;

use InPost\QuickReturns\WooCommerce\Returns;

if ( ! function_exists( 'inpost_quick_returns_generate_code' ) ) {
	/**
	 * The order's InPost return code: the existing one, or a new one from InPost. Idempotent per
	 * order, also when several requests ask at the same time (only one asks InPost).
	 *
	 * @param WC_Order|int $order the order or its ID.
	 * @param array        $args  pack_type ('A', 'B', 'C'; default from the settings), phone (instead
	 *                            of the billing phone), validity_days, context ('api' by default; used
	 *                            in order notes), notify_customer (default true: the e-mail is sent),
	 *                            wait (seconds to wait for a concurrent request, default 25).
	 * @return array{code: string, expires: string, pack_type: string, status: string, pack_code: string, order_id: int, created: bool}
	 *               created is true only when this call made the code.
	 * @throws InvalidArgumentException when there is no such order.
	 * @throws \InPost\QuickReturns\Exception\QuickReturnsException when InPost or the library fails
	 *         (the order gets a note saying why; InvalidInputException::getField() names the value).
	 * @throws \InPost\QuickReturns\WooCommerce\BusyException when another request is still at it.
	 */
	function inpost_quick_returns_generate_code( $order, array $args = array() ): array {
		$order = $order instanceof WC_Order ? $order : wc_get_order( $order );
		if ( ! $order instanceof WC_Order ) {
			throw new InvalidArgumentException( 'inpost_quick_returns_generate_code: no such order' );
		}
		return Returns::generate_code( $order, $args );
	}
}

if ( ! function_exists( 'inpost_quick_returns_get_code' ) ) {
	/**
	 * The order's return code without asking InPost, or null when it has none.
	 *
	 * @param WC_Order|int $order the order or its ID.
	 * @return array{code: string, expires: string, pack_type: string, status: string, pack_code: string, order_id: int}|null
	 */
	function inpost_quick_returns_get_code( $order ): ?array {
		$order = $order instanceof WC_Order ? $order : wc_get_order( $order );
		return $order instanceof WC_Order ? Returns::current( $order ) : null;
	}
}
