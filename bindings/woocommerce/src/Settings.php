<?php
/**
 * The plugin's settings: stored options, overridden by wp-config.php constants.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce;

defined( 'ABSPATH' ) || exit;

/**
 * Reads the settings the way every part of the plugin needs them. The password is stored
 * encrypted with a key derived from WordPress's salts, so a database dump alone does not reveal it.
 */
final class Settings {

	public const PREFIX = 'inpost_quick_returns_';

	/** The settings tab: WooCommerce → Settings → InPost Returns (admin.php?page=wc-settings&tab=…). */
	public const TAB = 'inpost_quick_returns';

	/** Option names (without the prefix) and their defaults. */
	public const DEFAULTS = array(
		'environment'       => 'production',
		'base_url'          => '',
		'email'             => '',
		'password'          => '',
		'pack_type'         => 'A',
		'validity_days'     => '14',
		'label_template'    => 'Zamówienie: {order_number}',
		'eligible_statuses' => array( 'wc-completed' ),
		'return_days'       => '14',
		'dropped_off_status' => '',
		'delivered_status'  => '',
	);

	/** Environments offered on the settings page. */
	public const ENVIRONMENTS = array( 'production', 'sandbox', 'custom' );

	/** Locker sizes: InPost's three Paczkomat sizes, height × width × depth in cm. */
	public const PACK_TYPES = array(
		'A' => '8 × 38 × 64 cm',
		'B' => '19 × 38 × 64 cm',
		'C' => '41 × 38 × 64 cm',
	);

	private const CIPHER_PREFIX = 'sodium:';

	/**
	 * One stored setting (not the password: see password()).
	 *
	 * @param string $key a key of DEFAULTS.
	 * @return mixed
	 */
	public static function get( string $key ) {
		$value = get_option( self::PREFIX . $key, self::DEFAULTS[ $key ] ?? '' );
		return ( '' === $value || null === $value || false === $value ) ? ( self::DEFAULTS[ $key ] ?? '' ) : $value;
	}

	/** Whether a wp-config.php constant sets this value ('email', 'password' or 'base_url'). */
	public static function overridden( string $key ): bool {
		$constant = self::constant_name( $key );
		return null !== $constant && defined( $constant ) && '' !== (string) constant( $constant );
	}

	/** The wp-config.php constant for a setting, e.g. INPOST_QUICK_RETURNS_EMAIL. */
	public static function constant_name( string $key ): ?string {
		$names = array(
			'email'    => 'INPOST_QUICK_RETURNS_EMAIL',
			'password' => 'INPOST_QUICK_RETURNS_PASSWORD',
			'base_url' => 'INPOST_QUICK_RETURNS_BASE_URL',
		);
		return $names[ $key ] ?? null;
	}

	public static function email(): string {
		return self::overridden( 'email' ) ? (string) constant( 'INPOST_QUICK_RETURNS_EMAIL' ) : trim( (string) get_option( self::PREFIX . 'email', '' ) );
	}

	/** The account password in clear text, for the client only; '' when none is stored or it cannot be decrypted. */
	public static function password(): string {
		if ( self::overridden( 'password' ) ) {
			return (string) constant( 'INPOST_QUICK_RETURNS_PASSWORD' );
		}
		return self::decrypt( (string) get_option( self::PREFIX . 'password', '' ) ) ?? '';
	}

	/** Whether a password is set (by constant or stored). */
	public static function has_password(): bool {
		return self::overridden( 'password' ) || '' !== (string) get_option( self::PREFIX . 'password', '' );
	}

	/** True when a password is stored but cannot be decrypted (WordPress's salts changed). */
	public static function password_unreadable(): bool {
		if ( self::overridden( 'password' ) ) {
			return false;
		}
		$stored = (string) get_option( self::PREFIX . 'password', '' );
		return '' !== $stored && null === self::decrypt( $stored );
	}

	/** Stores a new password (encrypted). */
	public static function store_password( string $password ): void {
		update_option( self::PREFIX . 'password', self::encrypt( $password ), false );
	}

	/**
	 * Where requests go: ['baseUrl' => …] from the constant or the custom setting, else ['environment' => …].
	 *
	 * @return array<string, string>
	 */
	public static function endpoint( ?string $environment = null, ?string $base_url = null ): array {
		if ( self::overridden( 'base_url' ) ) {
			return array( 'baseUrl' => (string) constant( 'INPOST_QUICK_RETURNS_BASE_URL' ) );
		}
		$environment = $environment ?? (string) self::get( 'environment' );
		if ( 'custom' === $environment ) {
			return array( 'baseUrl' => trim( $base_url ?? (string) self::get( 'base_url' ) ) );
		}
		return array( 'environment' => in_array( $environment, array( 'production', 'sandbox' ), true ) ? $environment : 'production' );
	}

	/**
	 * The client configuration, filtered through 'inpost_quick_returns_client_config'.
	 *
	 * @param array<string, string> $override environment, base_url, email, password (the connection test's form values).
	 * @return array<string, mixed>
	 */
	public static function client_config( array $override = array() ): array {
		$config = self::endpoint( $override['environment'] ?? null, $override['base_url'] ?? null ) + array(
			'email'                 => self::overridden( 'email' ) || ! isset( $override['email'] ) ? self::email() : trim( $override['email'] ),
			'password'              => self::overridden( 'password' ) || ! isset( $override['password'] ) || '' === $override['password'] ? self::password() : $override['password'],
			// One attempt at most 20 s; a whole call, the client's retries included, at most 45 s
			// (shorter than the order lock's time to live, OrderLock::TTL_SECONDS).
			'connectTimeoutSeconds' => 5,
			'timeoutSeconds'        => 20,
			'deadlineSeconds'       => 45,
			'logger'                => new Log(),
		);
		/**
		 * Filters the InPost client configuration (see the PHP package's Client).
		 *
		 * @param array $config environment or baseUrl, email, password, timeouts.
		 */
		return (array) apply_filters( 'inpost_quick_returns_client_config', $config );
	}

	public static function pack_type(): string {
		$type = strtoupper( (string) self::get( 'pack_type' ) );
		return isset( self::PACK_TYPES[ $type ] ) ? $type : 'A';
	}

	public static function validity_days(): int {
		return max( 1, (int) self::get( 'validity_days' ) );
	}

	public static function label_template(): string {
		return (string) get_option( self::PREFIX . 'label_template', self::DEFAULTS['label_template'] );
	}

	/** @return list<string> order statuses with the wc- prefix */
	public static function eligible_statuses(): array {
		$statuses = self::get( 'eligible_statuses' );
		return array_values( array_filter( array_map( 'strval', is_array( $statuses ) ? $statuses : array( $statuses ) ) ) );
	}

	/** Days after completion during which a customer may ask for a return; 0 means no limit. */
	public static function return_days(): int {
		return max( 0, (int) self::get( 'return_days' ) );
	}

	/** The order status to move an order to on drop-off or delivery ('' = leave it), without the wc- prefix. */
	public static function status_after( string $event ): string {
		$status = (string) get_option( self::PREFIX . $event . '_status', '' );
		return str_starts_with( $status, 'wc-' ) ? substr( $status, 3 ) : $status;
	}

	private static function key(): string {
		return sodium_crypto_generichash( wp_salt( 'auth' ) . '|inpost-quick-returns', '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES );
	}

	private static function encrypt( string $plain ): string {
		if ( '' === $plain ) {
			return '';
		}
		if ( ! function_exists( 'sodium_crypto_secretbox' ) ) {
			return 'plain:' . base64_encode( $plain ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		}
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		return self::CIPHER_PREFIX . base64_encode( $nonce . sodium_crypto_secretbox( $plain, $nonce, self::key() ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
	}

	private static function decrypt( string $stored ): ?string {
		if ( '' === $stored ) {
			return '';
		}
		if ( str_starts_with( $stored, 'plain:' ) ) {
			$plain = base64_decode( substr( $stored, 6 ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode
			return false === $plain ? null : $plain;
		}
		if ( ! str_starts_with( $stored, self::CIPHER_PREFIX ) || ! function_exists( 'sodium_crypto_secretbox_open' ) ) {
			return null;
		}
		$raw = base64_decode( substr( $stored, strlen( self::CIPHER_PREFIX ) ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode
		if ( false === $raw || strlen( $raw ) <= SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ) {
			return null;
		}
		$plain = sodium_crypto_secretbox_open( substr( $raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), substr( $raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ), self::key() );
		return false === $plain ? null : $plain;
	}
}
