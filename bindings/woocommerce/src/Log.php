<?php
/**
 * The PHP client's retries and recoveries, in WooCommerce → Status → Logs.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

defined( 'ABSPATH' ) || exit;

/**
 * A PSR-3-shaped logger (the client calls log($level, $message, $context)) writing to WooCommerce's
 * log under the source inpost-quick-returns. The client's events never hold credentials.
 */
final class Log {

	public const SOURCE = 'inpost-quick-returns';

	/**
	 * @param string               $level   a PSR-3 level: warning, info, …
	 * @param string|\Stringable   $message the event
	 * @param array<string, mixed> $context operation, attempt, type, …
	 */
	public function log( $level, $message, array $context = array() ): void {
		if ( function_exists( 'wc_get_logger' ) ) {
			wc_get_logger()->log( (string) $level, (string) $message, array( 'source' => self::SOURCE ) + $context );
		}
	}
}
