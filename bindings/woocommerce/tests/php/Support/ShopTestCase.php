<?php
/**
 * Base class: each test starts from the shop's default settings, pointed at the shared sandbox.
 *
 * @package InPostQuickReturns
 */

namespace InPostQrTests\Support;

use PHPUnit\Framework\TestCase;

abstract class ShopTestCase extends TestCase {

	/** @var list<array{0: string, 1: callable}> hooks added by the test, removed after it */
	private array $hooks = array();

	protected function setUp(): void {
		parent::setUp();
		Shop::use_sandbox();
		foreach ( array( 'pack_type', 'validity_days', 'label_template', 'eligible_statuses', 'return_days', 'dropped_off_status', 'delivered_status' ) as $key ) {
			delete_option( 'inpost_quick_returns_' . $key );
		}
		wp_set_current_user( 0 );
	}

	protected function tearDown(): void {
		foreach ( $this->hooks as [ $hook, $callback ] ) {
			remove_action( $hook, $callback );
		}
		$this->hooks = array();
		parent::tearDown();
	}

	/**
	 * Records every call of an action during the test.
	 *
	 * @return \ArrayObject<int, array<int, mixed>> the calls' arguments
	 */
	protected function record( string $hook, int $args = 1 ): \ArrayObject {
		$calls    = new \ArrayObject();
		$callback = static function ( ...$values ) use ( $calls ) {
			$calls[] = $values;
		};
		add_action( $hook, $callback, 10, $args );
		$this->hooks[] = array( $hook, $callback );
		return $calls;
	}

	/** Notes that contain $needle. */
	protected static function notesWith( \WC_Order $order, string $needle ): array {
		return array_values( array_filter( Shop::notes( $order ), static fn ( $note ) => str_contains( $note, $needle ) ) );
	}
}
