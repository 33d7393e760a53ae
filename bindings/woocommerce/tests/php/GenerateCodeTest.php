<?php
/**
 * inpost_quick_returns_generate_code(): codes made through the real library against the sandbox.
 *
 * @package InPostQuickReturns
 */

use InPost\QuickReturns\Exception\ApiException;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\WooCommerce\BusyException;
use InPost\QuickReturns\WooCommerce\OrderLock;
use InPostQrTests\Support\Sandbox;
use InPostQrTests\Support\Shop;
use InPostQrTests\Support\ShopTestCase;

final class GenerateCodeTest extends ShopTestCase {

	public function testMakesACodeStoresItOnTheOrderAndMailsIt(): void {
		$created = $this->record( 'inpost_quick_returns_code_created', 3 );
		$order   = Shop::order();
		$since   = microtime( true );

		$code = inpost_quick_returns_generate_code( $order );

		$this->assertTrue( $code['created'] );
		$this->assertMatchesRegularExpression( '/^\d{10}$/', $code['code'] );
		$this->assertSame( 'A', $code['pack_type'] );
		$expected_expiry = ( new DateTimeImmutable( 'now', wp_timezone() ) )->modify( '+14 days' )->format( 'Y-m-d' ) . 'T23:59:59';
		$this->assertSame( $expected_expiry, $code['expires'] );

		$stored = Shop::reload( $order );
		$this->assertSame( $code['code'], $stored->get_meta( '_inpost_return_code' ) );
		$this->assertSame( $expected_expiry, $stored->get_meta( '_inpost_return_expires' ) );
		$this->assertSame( '', $stored->get_meta( '_inpost_return_status' ) );
		$this->assertCount( 1, self::notesWith( $stored, $code['code'] ) );

		$records = Shop::report( (string) $order->get_order_number() );
		$this->assertCount( 1, $records );
		$this->assertSame( $code['code'], $records[0]['code'] );
		$this->assertSame( '600100200', $records[0]['senderPhone'] );
		$this->assertSame( 'jan.kowalski@example.pl', $records[0]['senderEmail'] );
		$this->assertSame( 'Zamówienie: ' . $order->get_order_number(), $records[0]['returnDescription1'] );

		$this->assertCount( 1, $created );
		$this->assertSame( $code['code'], $created[0][0]['code'] );
		$this->assertSame( $order->get_id(), $created[0][1]->get_id() );

		$mails = Shop::mails( $since );
		$this->assertCount( 1, $mails );
		$this->assertSame( 'jan.kowalski@example.pl', $mails[0]['to'] );
		$this->assertStringContainsString( (string) $order->get_order_number(), $mails[0]['subject'] );
		$this->assertStringContainsString( $code['code'], $mails[0]['message'] );
		$this->assertStringContainsString( 'Paczkomat', $mails[0]['message'] );
	}

	public function testASecondCallReturnsTheSameCodeWithoutAskingInPostAgain(): void {
		$order = Shop::order();
		$first = inpost_quick_returns_generate_code( $order->get_id() );
		$notes = count( Shop::notes( $order ) );
		$since = microtime( true );

		$second = inpost_quick_returns_generate_code( wc_get_order( $order->get_id() ), array( 'pack_type' => 'C' ) );

		$this->assertFalse( $second['created'] );
		$this->assertSame( $first['code'], $second['code'] );
		$this->assertSame( 'A', $second['pack_type'] );
		$this->assertCount( 1, Shop::report( (string) $order->get_order_number() ) );
		$this->assertCount( $notes, Shop::notes( $order ) );
		$this->assertSame( array(), Shop::mails( $since ) );
		$this->assertSame( $first['code'], inpost_quick_returns_get_code( $order->get_id() )['code'] );
	}

	/**
	 * Three requests at once while InPost takes 1.5 s to answer: one asks, the others wait for it.
	 */
	public function testConcurrentRequestsMakeOneCode(): void {
		$slow = new Sandbox( array( '--delay-ms', '1500' ) );
		Shop::use_sandbox( $slow->url );
		$order = Shop::order();

		$started = array();
		for ( $i = 0; $i < 3; $i++ ) {
			$started[] = Shop::start_php( 'echo wp_json_encode(inpost_quick_returns_generate_code(' . $order->get_id() . ', array("context" => "customer")));' );
		}
		$results = array_map( static fn ( $process ) => Shop::finish( $process ), $started );

		$codes = array();
		foreach ( $results as $result ) {
			$this->assertSame( 0, $result['code'], $result['err'] . $result['out'] );
			$codes[] = json_decode( $result['out'], true );
		}
		$this->assertCount( 1, array_unique( array_column( $codes, 'code' ) ), wp_json_encode( $codes ) );
		$this->assertSame( array( true ), array_values( array_filter( array_column( $codes, 'created' ) ) ) );
		$this->assertCount( 1, Shop::report( (string) $order->get_order_number(), $slow->url ) );
		$this->assertCount( 1, self::notesWith( $order, 'InPost return code ' . $codes[0]['code'] ) );
	}

	/**
	 * InPost behind a bad proxy: answers lost after the code was made, calls failing before. The
	 * client retries what is safe and recovers lost codes from the report; the plugin never ends
	 * with two codes for an order, and a customer trying again gets the one InPost has.
	 */
	public function testLostAnswersAndAFailingProxyNeverMakeASecondCode(): void {
		$flaky = new Sandbox( array( '--lose-answer-rate', '0.3', '--fail-rate', '0.1', '--seed', '2026' ) );
		Shop::use_sandbox( $flaky->url );
		$failures = 0;
		for ( $i = 0; $i < 8; $i++ ) {
			$order = Shop::order();
			$code  = null;
			for ( $try = 0; $try < 3 && null === $code; $try++ ) {
				try {
					$code = inpost_quick_returns_generate_code( $order, array( 'notify_customer' => false ) )['code'];
				} catch ( \InPost\QuickReturns\Exception\QuickReturnsException $e ) {
					++$failures;
					$this->assertNotEmpty( self::notesWith( $order, 'No InPost return code' ) );
				}
			}
			$this->assertNotNull( $code, "order {$i}: no code after three tries" );
			$this->assertSame( array( $code ), array_column( Shop::report( (string) $order->get_order_number(), $flaky->url ), 'code' ), "order {$i}" );
		}
		$logs = implode( '', array_map( 'file_get_contents', glob( WC_LOG_DIR . 'inpost-quick-returns-*.log' ) ?: array() ) );
		$this->assertMatchesRegularExpression( '/inpost-quick-returns: .*(retr|recover)/i', $logs, 'the client\'s retries are in WooCommerce → Status → Logs' );
		$this->assertStringNotContainsString( 'demo-password', $logs );
	}

	public function testARequestThatCannotGetTheLockInTimeAsksNobody(): void {
		$order = Shop::order();
		$token = OrderLock::acquire( 'order_' . $order->get_id() );
		$this->assertNotNull( $token );
		try {
			inpost_quick_returns_generate_code( $order, array( 'wait' => 0.5 ) );
			$this->fail( 'expected BusyException' );
		} catch ( BusyException $e ) {
			$this->assertStringContainsString( 'right now', $e->getMessage() );
		} finally {
			OrderLock::release( 'order_' . $order->get_id(), $token );
		}
		$this->assertSame( array(), Shop::report( (string) $order->get_order_number() ) );
		$this->assertNotEmpty( inpost_quick_returns_generate_code( $order )['code'] );
	}

	public function testALockLeftByACrashedRequestIsTakenOver(): void {
		global $wpdb;
		$order = Shop::order();
		$wpdb->insert(
			$wpdb->options,
			array(
				'option_name'  => '_inpost_qr_lock_order_' . $order->get_id(),
				'option_value' => ( time() - 1 ) . '|crashed-request',
				'autoload'     => 'off',
			)
		);

		$code = inpost_quick_returns_generate_code( $order, array( 'wait' => 1 ) );

		$this->assertTrue( $code['created'] );
		$this->assertFalse( OrderLock::held( 'order_' . $order->get_id() ) );
	}

	public function testAnInvalidPhoneIsExplainedAndNothingIsSent(): void {
		$order = Shop::order( array( 'phone' => '12345' ) );
		try {
			inpost_quick_returns_generate_code( $order );
			$this->fail( 'expected InvalidInputException' );
		} catch ( InvalidInputException $e ) {
			$this->assertSame( 'senderPhone', $e->getField() );
		}
		$order = Shop::reload( $order );
		$this->assertSame( '', $order->get_meta( '_inpost_return_code' ) );
		$this->assertCount( 1, self::notesWith( $order, 'not a Polish mobile number' ) );
		$this->assertSame( array(), Shop::report( (string) $order->get_order_number() ) );
	}

	public function testACorrectedPhoneIsUsedAndKeptOnTheOrder(): void {
		$order = Shop::order( array( 'phone' => '12345' ) );

		$code = inpost_quick_returns_generate_code( $order, array( 'phone' => '+48 601-200-300' ) );

		$this->assertTrue( $code['created'] );
		$order = Shop::reload( $order );
		$this->assertSame( '+48 601-200-300', $order->get_billing_phone() );
		$this->assertCount( 1, self::notesWith( $order, 'corrected the billing phone' ) );
		$this->assertSame( '601200300', Shop::report( (string) $order->get_order_number() )[0]['senderPhone'] );
	}

	public function testAWrongPasswordEndsInANoteThatNamesNoCredentials(): void {
		Shop::use_sandbox( null, 'Wrong&Secret+Pass' );
		$order = Shop::order();
		try {
			inpost_quick_returns_generate_code( $order );
			$this->fail( 'expected ApiException' );
		} catch ( ApiException $e ) {
			$this->assertSame( 'Unauthorized', $e->getKey() );
		}
		$notes = implode( "\n", Shop::notes( $order ) );
		$this->assertStringContainsString( 'Unauthorized', $notes );
		foreach ( array( 'Wrong&Secret+Pass', 'Wrong%26Secret', 'demo@example.com' ) as $secret ) {
			$this->assertStringNotContainsString( $secret, $notes );
			$this->assertStringNotContainsString( $secret, (string) @file_get_contents( getenv( 'INPOST_QR_LOG_DIR' ) . '/wp-debug.log' ) );
		}
	}

	public function testUnreachableInPostEndsInANote(): void {
		Shop::use_sandbox( 'http://127.0.0.1:' . self::closedPort() . '/' );
		$order = Shop::order();
		try {
			inpost_quick_returns_generate_code( $order );
			$this->fail( 'expected TransportException' );
		} catch ( TransportException $e ) {
			$this->assertSame( 'transport', $e->getKind() );
		}
		$this->assertCount( 1, self::notesWith( $order, 'InPost could not be reached' ) );
		$this->assertSame( '', Shop::reload( $order )->get_meta( '_inpost_return_code' ) );
	}

	public function testSizeValidityAndLabelFollowTheArgumentsAndSettings(): void {
		update_option( 'inpost_quick_returns_label_template', 'Zwrot {order_number} – {site_title}' );
		$order = Shop::order();

		$code = inpost_quick_returns_generate_code(
			$order,
			array(
				'pack_type'       => 'c',
				'validity_days'   => 3,
				'notify_customer' => false,
			)
		);

		$this->assertSame( 'C', $code['pack_type'] );
		$this->assertSame( ( new DateTimeImmutable( 'now', wp_timezone() ) )->modify( '+3 days' )->format( 'Y-m-d' ) . 'T23:59:59', $code['expires'] );
		$record = Shop::report( (string) $order->get_order_number() )[0];
		$this->assertSame( 'Zwrot ' . $order->get_order_number() . ' – InPost Quick Returns test shop', $record['returnDescription1'] );
	}

	public function testAnUnknownSizeIsRefusedBeforeAnythingIsSent(): void {
		$order = Shop::order();
		$this->expectException( InvalidInputException::class );
		try {
			inpost_quick_returns_generate_code( $order, array( 'pack_type' => 'D' ) );
		} finally {
			$this->assertSame( array(), Shop::report( (string) $order->get_order_number() ) );
		}
	}

	public function testAnUnknownOrderIsAnInvalidArgument(): void {
		$this->expectException( InvalidArgumentException::class );
		inpost_quick_returns_generate_code( 999999999 );
	}

	private static function closedPort(): int {
		$server = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name   = stream_socket_get_name( $server, false );
		fclose( $server );
		return (int) substr( $name, strrpos( $name, ':' ) + 1 );
	}
}
