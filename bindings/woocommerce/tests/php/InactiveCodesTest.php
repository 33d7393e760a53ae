<?php
/**
 * Scenario 2: batches of inactive codes, activated or assigned for orders, invalidated when unused.
 *
 * @package InPostQuickReturns
 */

use InPost\QuickReturns\WooCommerce\CodeStore;
use InPost\QuickReturns\WooCommerce\InactiveCodes;
use InPostQrTests\Support\Shop;
use InPostQrTests\Support\ShopTestCase;

final class InactiveCodesTest extends ShopTestCase {

	public function testABatchIsStoredAndDownloadsAsCsv(): void {
		$batch = InactiveCodes::generate_batch( 5 );

		$this->assertCount( 5, $batch['codes'] );
		foreach ( $batch['codes'] as $code ) {
			$row = CodeStore::find( $code );
			$this->assertSame( 'inactive', $row['state'] );
			$this->assertSame( $batch['batch'], $row['batch'] );
			$this->assertSame( '0', (string) $row['order_id'] );
		}
		$this->assertSame( 5, CodeStore::batches()[ $batch['batch'] ]['available'] );

		$stream = fopen( 'php://memory', 'w+' );
		InactiveCodes::write_csv( $batch['batch'], $stream );
		rewind( $stream );
		$lines = array_map( 'str_getcsv', array_filter( explode( "\n", stream_get_contents( $stream ) ) ) );
		$this->assertSame( array( 'code', 'uuid', 'batch', 'created_utc', 'state', 'order_id' ), $lines[0] );
		$this->assertEqualsCanonicalizing( $batch['codes'], array_column( array_slice( $lines, 1 ), 0 ) );
		$this->assertSame( array( 'inactive' ), array_values( array_unique( array_column( array_slice( $lines, 1 ), 4 ) ) ) );
	}

	public function testACodeActivatedForAnOrderBecomesTheOrdersReturnCode(): void {
		$code  = InactiveCodes::generate_batch( 1 )['codes'][0];
		$order = Shop::order();
		$since = microtime( true );

		$result = InactiveCodes::activate_for_order( $order, $code, array( 'pack_type' => 'B' ) );

		$this->assertSame( $code, $result['code'] );
		$this->assertTrue( $result['created'] );
		$order = Shop::reload( $order );
		$this->assertSame( $code, $order->get_meta( '_inpost_return_code' ) );
		$this->assertSame( 'B', $order->get_meta( '_inpost_return_pack_type' ) );
		$this->assertSame( '', $order->get_meta( '_inpost_inactive_code' ) );
		$this->assertSame( 'active', CodeStore::find( $code )['state'] );
		$record = Shop::report( (string) $order->get_order_number() )[0];
		$this->assertSame( $code, $record['code'] );
		$this->assertTrue( $record['active'] );
		$this->assertCount( 1, Shop::mails( $since ) );
	}

	public function testAnAssignedCodeIsActivatedWhenTheReturnIsAskedFor(): void {
		$code  = InactiveCodes::generate_batch( 1 )['codes'][0];
		$order = Shop::order();

		InactiveCodes::assign( $order, $code );
		$order = Shop::reload( $order );
		$this->assertSame( $code, $order->get_meta( '_inpost_inactive_code' ) );
		$this->assertNull( inpost_quick_returns_get_code( $order ) );

		$result = inpost_quick_returns_generate_code( $order, array( 'context' => 'customer' ) );

		$this->assertSame( $code, $result['code'] );
		$this->assertTrue( Shop::report( (string) $order->get_order_number() )[0]['active'] );
	}

	public function testAnUnusedCodeIsInvalidatedAndLeavesItsOrder(): void {
		$codes = InactiveCodes::generate_batch( 2 )['codes'];
		$order = Shop::order();
		InactiveCodes::assign( $order, $codes[0] );
		$invalidated = $this->record( 'inpost_quick_returns_code_invalidated', 2 );

		InactiveCodes::invalidate( $codes[0] );

		$this->assertSame( 'invalidated', CodeStore::find( $codes[0] )['state'] );
		$order = Shop::reload( $order );
		$this->assertSame( '', $order->get_meta( '_inpost_inactive_code' ) );
		$this->assertCount( 1, self::notesWith( $order, 'was invalidated' ) );
		$this->assertCount( 1, $invalidated );
		$listed = array_column( iterator_to_array( \InPost\QuickReturns\WooCommerce\Library::client()->reportRecords( array( 'active' => false ) ), false ), 'code' );
		$this->assertNotContains( $codes[0], $listed );
		$this->assertContains( $codes[1], $listed );
	}

	public function testActiveCodesAreNeverSentForInvalidation(): void {
		$order = Shop::order();
		$code  = inpost_quick_returns_generate_code( $order, array( 'notify_customer' => false ) )['code'];
		$this->expectException( DomainException::class );
		$this->expectExceptionMessage( 'only inactive, unused codes' );
		InactiveCodes::invalidate( $code );
	}

	public function testACodeGoesToOneOrderOnly(): void {
		$code   = InactiveCodes::generate_batch( 1 )['codes'][0];
		$first  = Shop::order();
		$second = Shop::order();
		InactiveCodes::assign( $first, $code );

		$this->expectException( DomainException::class );
		InactiveCodes::assign( $second, $code );
	}

	public function testAnOrderWithACodeTakesNoOther(): void {
		$code  = InactiveCodes::generate_batch( 1 )['codes'][0];
		$order = Shop::order();
		inpost_quick_returns_generate_code( $order, array( 'notify_customer' => false ) );

		try {
			InactiveCodes::activate_for_order( $order, $code );
			$this->fail( 'expected DomainException' );
		} catch ( DomainException $e ) {
			$this->assertStringContainsString( 'already has the return code', $e->getMessage() );
		}
		$this->assertSame( '0', (string) CodeStore::find( $code )['order_id'] );
	}
}
