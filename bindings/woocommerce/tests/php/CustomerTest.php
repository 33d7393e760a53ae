<?php
/**
 * Which orders a customer may return, and what My Account shows for them.
 *
 * @package InPostQuickReturns
 */

use InPost\QuickReturns\WooCommerce\Customer\ReturnSection;
use InPost\QuickReturns\WooCommerce\Returns;
use InPostQrTests\Support\Shop;
use InPostQrTests\Support\ShopTestCase;

final class CustomerTest extends ShopTestCase {

	public function testACompletedOrderWithinTheReturnPeriodIsEligible(): void {
		$this->assertTrue( Returns::eligibility( Shop::order( array( 'completed_days_ago' => 13 ) ) )['eligible'] );
	}

	public function testTheReturnPeriodEnds(): void {
		$result = Returns::eligibility( Shop::order( array( 'completed_days_ago' => 15 ) ) );
		$this->assertFalse( $result['eligible'] );
		$this->assertStringContainsString( 'return period of 14 days', $result['reason'] );

		update_option( 'inpost_quick_returns_return_days', '0' );
		$this->assertTrue( Returns::eligibility( Shop::order( array( 'completed_days_ago' => 400 ) ) )['eligible'] );
	}

	public function testOnlyTheConfiguredStatusesAreEligible(): void {
		$this->assertFalse( Returns::eligibility( Shop::order( array( 'status' => 'processing' ) ) )['eligible'] );
		update_option( 'inpost_quick_returns_eligible_statuses', array( 'wc-completed', 'wc-processing' ) );
		$this->assertTrue( Returns::eligibility( Shop::order( array( 'status' => 'processing' ) ) )['eligible'] );
	}

	public function testTheOrderPageOffersTheFormToItsCustomerOnly(): void {
		$order = Shop::order();
		wp_set_current_user( Shop::customer_id() );
		$html = $this->section( $order );
		$this->assertStringContainsString( 'Return with InPost Paczkomat', $html );
		foreach ( array( 'A', 'B', 'C' ) as $size ) {
			$this->assertStringContainsString( 'name="inpost_qr_pack_type" value="' . $size . '"', $html );
		}
		$this->assertStringContainsString( 'value="600 100 200"', $html );
		$this->assertMatchesRegularExpression( '/name="_inpost_qr_nonce" value="[0-9a-f]{10}"/', $html );

		$other = wp_insert_user( array( 'user_login' => 'ewa' . wp_rand(), 'user_pass' => 'x', 'role' => 'customer' ) );
		wp_set_current_user( $other );
		$this->assertSame( '', $this->section( $order ) );
	}

	public function testTheOrderPageShowsTheCodeWithItsInstructions(): void {
		$order = Shop::order();
		$code  = inpost_quick_returns_generate_code( $order, array( 'notify_customer' => false, 'pack_type' => 'B' ) );
		wp_set_current_user( Shop::customer_id() );
		$html = $this->section( Shop::reload( $order ) );
		$this->assertStringContainsString( '>' . $code['code'] . '<', $html );
		$this->assertStringContainsString( '19 × 38 × 64 cm', $html );
		$this->assertStringContainsString( 'How to send the parcel back', $html );
		$this->assertStringNotContainsString( '<form', $html );
	}

	private function section( WC_Order $order ): string {
		ob_start();
		ReturnSection::render( $order->get_id() );
		return (string) ob_get_clean();
	}

	public function testAnExpiredUnusedCodeIsShownAsExpired(): void {
		$order = Shop::order();
		inpost_quick_returns_generate_code( $order, array( 'notify_customer' => false ) );
		$order = Shop::reload( $order );
		$order->update_meta_data( '_inpost_return_expires', '2020-01-31T23:59:59' );
		$order->save();
		wp_set_current_user( Shop::customer_id() );
		$html = $this->section( Shop::reload( $order ) );
		$this->assertStringContainsString( 'This code has expired', $html );
		$this->assertStringNotContainsString( 'How to send the parcel back', $html );
	}
}
