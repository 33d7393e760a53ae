<?php
/**
 * Finds and loads the bundled PHP package and its native library.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Core;
use InPost\QuickReturns\Exception\QuickReturnsException;
use InPost\QuickReturns\Exception\UsageException;
use InPost\QuickReturns\Platform;

defined( 'ABSPATH' ) || exit;

/**
 * The PHP package `inpost/quick-returns` ships inside the plugin under vendor/inpost-quick-returns/
 * (the zip); in a development checkout the plugin uses the repository's bindings/php instead.
 */
final class Library {

	private static ?bool $package_loaded = null;
	private static ?Core $core = null;
	private static ?UsageException $core_error = null;

	/** The folder of the PHP package, or null when it is missing (a broken install). */
	public static function package_dir(): ?string {
		$candidates = array( INPOST_QR_PLUGIN_DIR . 'vendor/inpost-quick-returns' );
		// A checkout of the repository: bindings/woocommerce next to bindings/php.
		if ( 'bindings' === basename( dirname( INPOST_QR_PLUGIN_DIR ) ) ) {
			$candidates[] = dirname( INPOST_QR_PLUGIN_DIR ) . '/php';
		}
		foreach ( $candidates as $dir ) {
			if ( is_file( $dir . '/autoload.php' ) && is_file( $dir . '/src/Core.php' ) ) {
				return $dir;
			}
		}
		return null;
	}

	/** Registers the package's autoloader (its classes may already be there through opcache preload). */
	public static function load_package(): bool {
		if ( null === self::$package_loaded ) {
			$dir = self::package_dir();
			if ( null !== $dir ) {
				require_once $dir . '/autoload.php';
			}
			self::$package_loaded = class_exists( Core::class );
		}
		return self::$package_loaded;
	}

	/**
	 * The loaded core.
	 *
	 * @throws UsageException when the package or the native library cannot be loaded; the message says what to change.
	 */
	public static function core(): Core {
		if ( null !== self::$core ) {
			return self::$core;
		}
		if ( null !== self::$core_error ) {
			throw self::$core_error;
		}
		if ( ! self::load_package() ) {
			throw new \RuntimeException( __( 'The InPost Quick Returns PHP package is missing from the plugin folder (vendor/inpost-quick-returns). Install the plugin from its zip file again.', 'inpost-quick-returns' ) );
		}
		try {
			self::$core = new Core();
		} catch ( UsageException $e ) {
			self::$core_error = $e;
			throw $e;
		}
		return self::$core;
	}

	/**
	 * A client for the given configuration (default: the settings).
	 *
	 * @param array<string, mixed>|null $config see Settings::client_config().
	 * @throws QuickReturnsException invalid configuration, or the library cannot be loaded.
	 * @throws \RuntimeException when the PHP package is missing.
	 */
	public static function client( ?array $config = null ): Client {
		return new Client( $config ?? Settings::client_config(), self::core() );
	}

	/**
	 * What the settings page shows about PHP, FFI and the library, with what to change.
	 *
	 * @return array{ok: bool, version: string, source: string, error: string, facts: array<string, string>, ini: string, header_command: string}
	 */
	public static function diagnostics(): array {
		$package = self::package_dir();
		$facts   = array(
			'PHP'                => PHP_VERSION . ' (' . PHP_SAPI . ', ' . php_uname( 'm' ) . ')',
			'ext-ffi'            => extension_loaded( 'ffi' ) ? 'loaded' : 'missing',
			'ffi.enable'         => (string) ini_get( 'ffi.enable' ),
			'opcache.preload'    => (string) ini_get( 'opcache.preload' ),
			'PHP package'        => $package ?? 'missing',
		);
		if ( null !== $package && self::load_package() ) {
			// The library is chosen as the PHP package chooses it: INPOST_QUICK_RETURNS_LIB, else lib/<platform>/.
			$facts['Platform']                 = Platform::current();
			$facts['Libraries in the package'] = implode( ', ', Platform::bundled( $package . '/lib' ) );
			$override                          = getenv( Core::LIBRARY_ENV );
			if ( is_string( $override ) && '' !== $override ) {
				$facts[ Core::LIBRARY_ENV ] = $override;
			}
		}
		$result  = array(
			'ok'             => false,
			'version'        => '',
			'source'         => '',
			'error'          => '',
			'facts'          => $facts,
			'ini'            => '',
			'header_command' => '',
		);
		try {
			$core              = self::core();
			$result['ok']      = true;
			$result['version'] = $core->version();
			$result['source']  = $core->source();
		} catch ( \Throwable $e ) {
			$result['error'] = $e->getMessage();
		}
		if ( null !== $package ) {
			$preload                  = $package . '/preload.php';
			$header                   = '/etc/php/inpost_quick_returns.preload.h';
			$result['header_command'] = 'php ' . $package . '/bin/preload-header.php --out ' . $header;
			$result['ini']            = implode(
				"\n",
				array(
					'; ' . __( 'php-fpm (or any web server PHP): preload the library, keeping FFI closed to other code', 'inpost-quick-returns' ),
					'ffi.enable=preload',
					'opcache.enable=1',
					'opcache.preload=' . $preload,
					'; ' . __( 'when php-fpm\'s master process runs as root, also:', 'inpost-quick-returns' ),
					'opcache.preload_user=www-data',
					'ffi.preload=' . $header,
				)
			);
		}
		return $result;
	}
}
