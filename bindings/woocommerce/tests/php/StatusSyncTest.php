<?php
/**
 * The Action Scheduler job that follows return parcels, with parcels moved by the sandbox's hook.
 *
 * @package InPostQuickReturns
 */

use InPost\QuickReturns\WooCommerce\Admin\Notices;
use InPostQrTests\Support\Shop;
use InPostQrTests\Support\ShopTestCase;

final class StatusSyncTest extends ShopTestCase {

	public function testTheJobIsScheduledEveryThirtyMinutesInItsGroup(): void {
		delete_transient( 'inpost_quick_returns_sync_scheduled' );
		\InPost\QuickReturns\WooCommerce\StatusSync::ensure_scheduled();

		$actions = as_get_scheduled_actions(
			array(
				'hook'   => 'inpost_quick_returns_sync_status',
				'status' => ActionScheduler_Store::STATUS_PENDING,
			)
		);
		$this->assertCount( 1, $actions );
		$action = reset( $actions );
		$this->assertSame( 'inpost-quick-returns', $action->get_group() );
		$this->assertTrue( $action->get_schedule()->is_recurring() );
		$this->assertSame( 1800, (int) $action->get_schedule()->get_recurrence() );
	}

	public function testDropOffTransitAndDeliveryReachTheOrder(): void {
		update_option( 'inpost_quick_returns_dropped_off_status', 'wc-on-hold' );
		update_option( 'inpost_quick_returns_delivered_status', 'wc-refunded' );
		$changes = $this->record( 'inpost_quick_returns_status_changed', 4 );
		$order   = Shop::order();
		$code    = inpost_quick_returns_generate_code( $order, array( 'notify_customer' => false ) )['code'];

		Shop::run_scheduled_sync();
		$this->assertSame( '', Shop::reload( $order )->get_meta( '_inpost_return_status' ), 'nothing happens before the drop-off' );
		$this->assertCount( 0, $changes );

		$parcel = Shop::parcel( $code, 'Created' );
		$action = Shop::run_scheduled_sync();
		$this->assertSame( ActionScheduler_Store::STATUS_COMPLETE, ActionScheduler::store()->get_status( $action ) );
		$order = Shop::reload( $order );
		$this->assertSame( 'Created', $order->get_meta( '_inpost_return_status' ) );
		$this->assertSame( $parcel['reverseReturnPackCode'], $order->get_meta( '_inpost_return_pack_code' ) );
		$this->assertMatchesRegularExpression( '/^\d{24}$/', $order->get_meta( '_inpost_return_pack_code' ) );
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertCount( 1, self::notesWith( $order, 'dropped the return parcel off' ) );
		$this->assertCount( 1, $changes );
		$this->assertSame( array( 'Created', '' ), array( $changes[0][1], $changes[0][2] ) );

		Shop::parcel( $code, 'InTransit' );
		Shop::run_scheduled_sync();
		$order = Shop::reload( $order );
		$this->assertSame( 'InTransit', $order->get_meta( '_inpost_return_status' ) );
		$this->assertCount( 1, self::notesWith( $order, 'dropped the return parcel off' ) );
		$this->assertSame( 'on-hold', $order->get_status() );

		Shop::parcel( $code, 'Delivered' );
		Shop::run_scheduled_sync();
		$order = Shop::reload( $order );
		$this->assertSame( 'Delivered', $order->get_meta( '_inpost_return_status' ) );
		$this->assertCount( 1, self::notesWith( $order, 'delivered back to the shop' ) );
		$this->assertSame( 'refunded', $order->get_status() );
		$this->assertCount( 3, $changes );
		$this->assertSame( array( 'Delivered', 'InTransit' ), array( $changes[2][1], $changes[2][2] ) );

		// A delivered parcel is no longer followed; further runs change nothing.
		$notes = count( Shop::notes( $order ) );
		Shop::run_scheduled_sync();
		$this->assertCount( $notes, Shop::notes( $order ) );
		$this->assertCount( 3, $changes );
	}

	public function testWithoutConfiguredStatusesTheOrderKeepsItsStatus(): void {
		$order = Shop::order();
		$code  = inpost_quick_returns_generate_code( $order, array( 'notify_customer' => false ) )['code'];
		Shop::parcel( $code, 'Created' );
		Shop::parcel( $code, 'Delivered' );

		Shop::run_scheduled_sync();

		$order = Shop::reload( $order );
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertSame( 'Delivered', $order->get_meta( '_inpost_return_status' ) );
		$this->assertCount( 1, self::notesWith( $order, 'dropped the return parcel off' ) );
		$this->assertCount( 1, self::notesWith( $order, 'delivered back to the shop' ) );
	}

	public function testAFailedRunIsShownAsFailedWithAnAdminNoticeUntilARunSucceeds(): void {
		$order = Shop::order();
		inpost_quick_returns_generate_code( $order, array( 'notify_customer' => false ) );
		Shop::use_sandbox( null, 'not-the-password' );

		$action = Shop::run_scheduled_sync();

		$this->assertSame( ActionScheduler_Store::STATUS_FAILED, ActionScheduler::store()->get_status( $action ) );
		$notices = Notices::persistent_notices();
		$this->assertArrayHasKey( 'sync', $notices );
		$this->assertStringContainsString( 'Unauthorized', $notices['sync']['message'] );
		$this->assertStringNotContainsString( 'not-the-password', $notices['sync']['message'] );
		$logs = array_map( static fn ( $entry ) => $entry->get_message(), ActionScheduler_Logger::instance()->get_logs( $action ) );
		$this->assertNotEmpty( array_filter( $logs, static fn ( $message ) => str_contains( $message, 'Unauthorized' ) ), implode( "\n", $logs ) );

		Shop::use_sandbox();
		$action = Shop::run_scheduled_sync();
		$this->assertSame( ActionScheduler_Store::STATUS_COMPLETE, ActionScheduler::store()->get_status( $action ) );
		$this->assertArrayNotHasKey( 'sync', Notices::persistent_notices() );
	}
}
