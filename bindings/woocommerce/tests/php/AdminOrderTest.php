<?php
/**
 * The admin order screen: HPOS compatibility, the order action, the "InPost return" box.
 *
 * @package InPostQuickReturns
 */

use Automattic\WooCommerce\Internal\Features\FeaturesController;
use InPost\QuickReturns\WooCommerce\Admin\OrderBox;
use InPost\QuickReturns\WooCommerce\InactiveCodes;
use InPostQrTests\Support\Shop;
use InPostQrTests\Support\ShopTestCase;

final class AdminOrderTest extends ShopTestCase {

	public function testHposCompatibilityIsDeclared(): void {
		$plugins = wc_get_container()->get( FeaturesController::class )->get_compatible_plugins_for_feature( 'custom_order_tables', true );
		$this->assertContains( 'inpost-quick-returns/inpost-quick-returns.php', $plugins['compatible'] );
	}

	public function testTheOrderActionMakesTheCodeAndTheBoxShowsIt(): void {
		wp_set_current_user( 1 );
		$order = Shop::order();
		$this->assertArrayHasKey( 'inpost_quick_returns_generate', apply_filters( 'woocommerce_order_actions', array(), $order ) );
		$this->assertStringContainsString( 'No return code yet', $this->box( $order ) );

		do_action( 'woocommerce_order_action_inpost_quick_returns_generate', $order );

		$order = Shop::reload( $order );
		$code  = $order->get_meta( '_inpost_return_code' );
		$this->assertMatchesRegularExpression( '/^\d{10}$/', $code );
		$this->assertCount( 1, self::notesWith( $order, 'Asked for by the shop manager admin' ) );
		$this->assertArrayNotHasKey( 'inpost_quick_returns_generate', apply_filters( 'woocommerce_order_actions', array(), $order ) );
		$box = $this->box( $order );
		$this->assertStringContainsString( $code, $box );
		$this->assertStringContainsString( 'A (8 × 38 × 64 cm)', $box );
		$this->assertStringContainsString( 'not dropped off yet', $box );
		$this->assertStringNotContainsString( 'inpost_qr_invalidate', $box, 'an active code cannot be invalidated' );

		$parcel = Shop::parcel( $code, 'Created' );
		$this->assertTrue( \InPost\QuickReturns\WooCommerce\StatusSync::check_code( $code ) );
		$box = $this->box( Shop::reload( $order ) );
		$this->assertStringContainsString( 'Created', $box );
		$this->assertStringContainsString( $parcel['reverseReturnPackCode'], $box );
	}

	public function testAFailedOrderActionLeavesANoteAndANotice(): void {
		wp_set_current_user( 1 );
		delete_transient( 'inpost_qr_notices_1' );
		$order = Shop::order( array( 'phone' => 'nie mam' ) );

		do_action( 'woocommerce_order_action_inpost_quick_returns_generate', $order );

		$this->assertCount( 1, self::notesWith( $order, 'not a Polish mobile number' ) );
		$notices = get_transient( 'inpost_qr_notices_1' );
		delete_transient( 'inpost_qr_notices_1' );
		$this->assertCount( 1, $notices );
		$this->assertSame( 'error', $notices[0]['type'] );
		$this->assertStringContainsString( 'not a Polish mobile number', $notices[0]['message'] );
	}

	public function testAnAssignedInactiveCodeCanBeInvalidatedFromTheBox(): void {
		$code  = InactiveCodes::generate_batch( 1 )['codes'][0];
		$order = Shop::order();
		InactiveCodes::assign( $order, $code );

		$box = $this->box( Shop::reload( $order ) );

		$this->assertStringContainsString( $code, $box );
		$this->assertMatchesRegularExpression( '/admin-post\.php\?action=inpost_qr_invalidate&#038;order_id=' . $order->get_id() . '&#038;_wpnonce=[0-9a-f]{10}/', $box );
	}

	private function box( WC_Order $order ): string {
		ob_start();
		OrderBox::render( $order );
		return (string) ob_get_clean();
	}
}
