<?php
/**
 * Another request holds the order's lock for longer than this one would wait.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

defined( 'ABSPATH' ) || exit;

/** Thrown by the public API when another request is still getting the order's code from InPost. */
final class BusyException extends \RuntimeException {
}
