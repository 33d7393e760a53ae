<?php
/**
 * Helpers for tests running inside the test shop's WordPress: orders, notes, mails, the sandbox.
 *
 * @package InPostQuickReturns
 */

namespace InPostQrTests\Support;

/** Real WooCommerce orders and real HTTP to the sandbox; nothing here stands in for WordPress or the library. */
final class Shop {

	public static function customer_id(): int {
		return (int) get_option( 'inpost_qr_test_customer' );
	}

	/**
	 * A paid order of the test customer with the test product.
	 *
	 * @param array{status?: string, phone?: string, email?: string, completed_days_ago?: int} $spec
	 */
	public static function order( array $spec = array() ): \WC_Order {
		$order = wc_create_order( array( 'customer_id' => self::customer_id() ) );
		$order->add_product( wc_get_product( (int) get_option( 'inpost_qr_test_product' ) ), 1 );
		$order->set_address(
			array(
				'first_name' => 'Jan',
				'last_name'  => 'Kowalski',
				'email'      => $spec['email'] ?? 'jan.kowalski@example.pl',
				'phone'      => $spec['phone'] ?? '600 100 200',
				'address_1'  => 'ul. Testowa 1',
				'city'       => 'Kraków',
				'postcode'   => '30-001',
				'country'    => 'PL',
			),
			'billing'
		);
		$order->set_payment_method( 'bacs' );
		$order->calculate_totals();
		$order->save();
		$status = $spec['status'] ?? 'completed';
		$order->update_status( $status );
		if ( 'completed' === $status && isset( $spec['completed_days_ago'] ) ) {
			$order->set_date_completed( time() - (int) $spec['completed_days_ago'] * DAY_IN_SECONDS );
			$order->save();
		}
		return self::reload( $order );
	}

	/** The order as another request would read it now (caches dropped). */
	public static function reload( \WC_Order $order ): \WC_Order {
		wp_cache_flush();
		$fresh = wc_get_order( $order->get_id() );
		$fresh->read_meta_data( true );
		return $fresh;
	}

	/** @return list<string> the order's notes, oldest first */
	public static function notes( \WC_Order $order ): array {
		wp_cache_flush();
		$notes = wc_get_order_notes(
			array(
				'order_id' => $order->get_id(),
				'orderby'  => 'date_created_gmt',
				'order'    => 'ASC',
			)
		);
		return array_map( static fn ( $note ) => (string) $note->content, $notes );
	}

	/** @return list<array{to: mixed, subject: string, message: string}> mails captured since $since (microtime) */
	public static function mails( float $since = 0.0 ): array {
		$mails = array();
		foreach ( glob( getenv( 'INPOST_QR_MAIL_DIR' ) . '/*.json' ) ?: array() as $file ) {
			if ( (float) basename( $file ) >= $since ) {
				$mails[] = json_decode( (string) file_get_contents( $file ), true );
			}
		}
		return $mails;
	}

	/** @return list<array<string, mixed>> the sandbox's report records with this rma */
	public static function report( string $rma, ?string $base_url = null ): array {
		$client = new \InPost\QuickReturns\Client(
			array(
				'baseUrl'  => $base_url ?? (string) getenv( 'INPOST_QR_SANDBOX_URL' ),
				'email'    => 'demo@example.com',
				'password' => 'demo-password',
			)
		);
		return iterator_to_array( $client->reportRecords( array( 'rma' => $rma ) ), false );
	}

	/** The sandbox's test hook: the parcel moves (Created = dropped off at a locker, InTransit, Delivered). */
	public static function parcel( string $code, string $status, ?string $base_url = null ): array {
		$handle = curl_init( rtrim( $base_url ?? (string) getenv( 'INPOST_QR_SANDBOX_URL' ), '/' ) . '/_sandbox/parcel' );
		curl_setopt_array(
			$handle,
			array(
				CURLOPT_POST           => true,
				CURLOPT_POSTFIELDS     => http_build_query( array( 'code' => $code, 'status' => $status ) ),
				CURLOPT_RETURNTRANSFER => true,
				CURLOPT_TIMEOUT        => 10,
			)
		);
		$body   = (string) curl_exec( $handle );
		$status_code = curl_getinfo( $handle, CURLINFO_RESPONSE_CODE );
		curl_close( $handle );
		if ( 200 !== $status_code ) {
			throw new \RuntimeException( "sandbox parcel hook answered {$status_code}: {$body}" );
		}
		return json_decode( $body, true );
	}

	/** Points the plugin at a sandbox (the shared one by default). */
	public static function use_sandbox( ?string $base_url = null, string $password = 'demo-password' ): void {
		update_option( 'inpost_quick_returns_environment', 'custom' );
		update_option( 'inpost_quick_returns_base_url', $base_url ?? (string) getenv( 'INPOST_QR_SANDBOX_URL' ) );
		update_option( 'inpost_quick_returns_email', 'demo@example.com' );
		\InPost\QuickReturns\WooCommerce\Settings::store_password( $password );
	}

	/** Runs the status sync the way WooCommerce → Status → Scheduled Actions → Run does. */
	public static function run_scheduled_sync(): int {
		$ids = as_get_scheduled_actions(
			array(
				'hook'     => 'inpost_quick_returns_sync_status',
				'group'    => 'inpost-quick-returns',
				'status'   => \ActionScheduler_Store::STATUS_PENDING,
				'per_page' => 1,
			),
			'ids'
		);
		if ( array() === $ids ) {
			delete_transient( 'inpost_quick_returns_sync_scheduled' );
			\InPost\QuickReturns\WooCommerce\StatusSync::ensure_scheduled();
			return self::run_scheduled_sync();
		}
		\ActionScheduler_QueueRunner::instance()->process_action( (int) $ids[0], 'PHPUnit' );
		return (int) $ids[0];
	}

	/**
	 * Runs a PHP snippet in a separate process with this WordPress loaded (another request).
	 *
	 * @param array<string, string> $env extra environment variables for it.
	 * @return array{0: resource, 1: array<int, resource>} the process; read it with finish()
	 */
	public static function start_php( string $code, array $env = array() ): array {
		$script  = '$_SERVER["HTTP_HOST"] = ' . var_export( wp_parse_url( home_url(), PHP_URL_HOST ) . ':' . wp_parse_url( home_url(), PHP_URL_PORT ), true ) . ';'
			. 'require ' . var_export( ABSPATH . 'wp-load.php', true ) . ';' . $code;
		$process = proc_open( array( PHP_BINARY, '-r', $script ), array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes, null, array() === $env ? null : array_merge( getenv(), $env ) );
		return array( $process, $pipes );
	}

	/** @return array{out: string, err: string, code: int} */
	public static function finish( array $started ): array {
		[ $process, $pipes ] = $started;
		$out = stream_get_contents( $pipes[1] );
		$err = stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		$code = proc_close( $process );
		return array(
			'out'  => (string) $out,
			'err'  => (string) $err,
			'code' => $code,
		);
	}
}
