<?php
/**
 * The settings tab's own field types, the password's save, and the connection test.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce\Admin;

use InPost\QuickReturns\Exception\ApiException;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\WooCommerce\Library;
use InPost\QuickReturns\WooCommerce\Messages;
use InPost\QuickReturns\WooCommerce\Settings;
use InPost\QuickReturns\WooCommerce\StatusSync;

defined( 'ABSPATH' ) || exit;

/**
 * The password field is never filled with the stored value: it is empty, and an empty field keeps
 * the stored password. Its input has its own name (…_password_input), so no generic code that
 * prints settings values (WooCommerce's settings data, get_option on the field id) finds it.
 */
final class SettingsFields {

	public const AJAX_TEST = 'inpost_quick_returns_test_connection';

	public static function register(): void {
		add_action( 'woocommerce_admin_field_inpost_qr_password', array( self::class, 'password_field' ) );
		add_action( 'woocommerce_admin_field_inpost_qr_constant', array( self::class, 'constant_field' ) );
		add_action( 'woocommerce_admin_field_inpost_qr_test_connection', array( self::class, 'test_connection_field' ) );
		add_action( 'woocommerce_admin_field_inpost_qr_diagnostics', array( self::class, 'diagnostics_field' ) );
		add_action( 'woocommerce_admin_field_inpost_qr_sync_info', array( self::class, 'sync_info_field' ) );
		add_filter( 'woocommerce_admin_settings_sanitize_option_' . Settings::PREFIX . 'password_input', array( self::class, 'save_password' ), 10, 3 );
		add_action( 'wp_ajax_' . self::AJAX_TEST, array( self::class, 'test_connection' ) );
		add_action( 'admin_enqueue_scripts', array( self::class, 'assets' ) );
	}

	public static function assets(): void {
		if ( 'wc-settings' !== ( $_GET['page'] ?? '' ) || Settings::TAB !== ( $_GET['tab'] ?? '' ) ) { // phpcs:ignore WordPress.Security.NonceVerification.Recommended
			return;
		}
		wp_enqueue_style( 'inpost-quick-returns-admin', plugins_url( 'assets/admin.css', INPOST_QR_PLUGIN_FILE ), array(), INPOST_QR_PLUGIN_VERSION );
		wp_enqueue_script( 'inpost-quick-returns-admin', plugins_url( 'assets/admin.js', INPOST_QR_PLUGIN_FILE ), array(), INPOST_QR_PLUGIN_VERSION, true );
		wp_localize_script(
			'inpost-quick-returns-admin',
			'inpostQuickReturns',
			array(
				'ajaxUrl' => admin_url( 'admin-ajax.php' ),
				'action'  => self::AJAX_TEST,
				'nonce'   => wp_create_nonce( self::AJAX_TEST ),
				'testing' => __( 'Testing…', 'inpost-quick-returns' ),
				'failed'  => __( 'The test could not be run:', 'inpost-quick-returns' ),
			)
		);
	}

	/**
	 * Saves a typed password (encrypted), keeps the stored one when the field is empty.
	 *
	 * @param mixed                $value     WooCommerce's cleaned value (unused: cleaning would change a password).
	 * @param array<string, mixed> $option    the field.
	 * @param mixed                $raw_value the submitted value, unslashed.
	 * @return null so that WooCommerce stores nothing under the field's own name.
	 */
	public static function save_password( $value, $option, $raw_value ) {
		unset( $value, $option );
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WooCommerce checked the settings nonce.
		if ( ! empty( $_POST[ Settings::PREFIX . 'password_forget' ] ) ) {
			delete_option( Settings::PREFIX . 'password' );
		} elseif ( is_string( $raw_value ) && '' !== $raw_value ) {
			Settings::store_password( $raw_value );
		}
		return null;
	}

	/** @param array<string, mixed> $field */
	public static function password_field( $field ): void {
		$stored = Settings::has_password();
		?>
		<tr>
			<th scope="row" class="titledesc"><label for="<?php echo esc_attr( $field['id'] ); ?>"><?php echo esc_html( $field['title'] ); ?></label></th>
			<td class="forminp">
				<input type="password" id="<?php echo esc_attr( $field['id'] ); ?>" name="<?php echo esc_attr( $field['id'] ); ?>" value="" autocomplete="new-password" class="regular-input" placeholder="<?php echo $stored ? esc_attr__( 'Stored — leave empty to keep it', 'inpost-quick-returns' ) : ''; ?>" />
				<p class="description">
					<?php
					if ( Settings::password_unreadable() ) {
						esc_html_e( 'The stored password cannot be read any more (WordPress\'s security keys in wp-config.php changed). Please enter it again.', 'inpost-quick-returns' );
					} elseif ( $stored ) {
						esc_html_e( 'A password is stored (encrypted with a key derived from WordPress\'s security keys). It is never shown.', 'inpost-quick-returns' );
					} else {
						esc_html_e( 'No password is stored yet.', 'inpost-quick-returns' );
					}
					echo ' ';
					/* translators: %s: constant name */
					printf( esc_html__( 'To keep it out of the database, define %s in wp-config.php instead.', 'inpost-quick-returns' ), '<code>INPOST_QUICK_RETURNS_PASSWORD</code>' );
					?>
				</p>
				<?php if ( $stored ) : ?>
					<label><input type="checkbox" name="<?php echo esc_attr( Settings::PREFIX . 'password_forget' ); ?>" value="1" /> <?php esc_html_e( 'Remove the stored password', 'inpost-quick-returns' ); ?></label>
				<?php endif; ?>
			</td>
		</tr>
		<?php
	}

	/** @param array<string, mixed> $field */
	public static function constant_field( $field ): void {
		printf(
			'<tr><th scope="row" class="titledesc">%1$s</th><td class="forminp inpost-qr-constant">%2$s</td></tr>',
			esc_html( $field['title'] ),
			esc_html( $field['desc'] )
		);
	}

	/** @param array<string, mixed> $field */
	public static function test_connection_field( $field ): void {
		?>
		<tr>
			<th scope="row" class="titledesc"><?php echo esc_html( $field['title'] ); ?></th>
			<td class="forminp">
				<button type="button" class="button" id="inpost-qr-test-connection"><?php esc_html_e( 'Test connection', 'inpost-quick-returns' ); ?></button>
				<div id="inpost-qr-test-result" class="inpost-qr-test-result" role="status" aria-live="polite"></div>
				<p class="description"><?php esc_html_e( 'Logs in with the values in this form (the stored password when the field is empty) and reads one line of InPost\'s report. Nothing is saved.', 'inpost-quick-returns' ); ?></p>
			</td>
		</tr>
		<?php
	}

	/** @param array<string, mixed> $field */
	public static function sync_info_field( $field ): void {
		$last = get_option( Settings::PREFIX . 'last_sync' );
		$next = function_exists( 'as_next_scheduled_action' ) ? as_next_scheduled_action( StatusSync::HOOK, array(), StatusSync::GROUP ) : false;
		$url  = admin_url( 'admin.php?page=wc-status&tab=action-scheduler&s=' . rawurlencode( StatusSync::HOOK ) );
		?>
		<tr>
			<th scope="row" class="titledesc"><?php echo esc_html( $field['title'] ); ?></th>
			<td class="forminp inpost-qr-sync-info">
				<p>
					<?php
					if ( is_array( $last ) && isset( $last['time'] ) ) {
						printf(
							/* translators: %s: date and time */
							esc_html__( 'Last check: %s.', 'inpost-quick-returns' ),
							esc_html( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), (int) $last['time'] ) )
						);
						echo ' ';
						$followed = (int) ( $last['followed'] ?? 0 );
						$changed  = (int) ( $last['changed'] ?? 0 );
						/* translators: %d: number of return codes */
						printf( esc_html( _n( '%d code followed,', '%d codes followed,', $followed, 'inpost-quick-returns' ) ), (int) $followed );
						echo ' ';
						/* translators: %d: number of parcels */
						printf( esc_html( _n( '%d parcel moved.', '%d parcels moved.', $changed, 'inpost-quick-returns' ) ), (int) $changed );
					} else {
						esc_html_e( 'No check has run yet.', 'inpost-quick-returns' );
					}
					echo ' ';
					if ( is_int( $next ) ) {
						/* translators: %s: date and time */
						printf( esc_html__( 'Next check: %s.', 'inpost-quick-returns' ), esc_html( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $next ) ) );
					}
					?>
				</p>
				<p><a href="<?php echo esc_url( $url ); ?>"><?php esc_html_e( 'See its runs under WooCommerce → Status → Scheduled Actions', 'inpost-quick-returns' ); ?></a></p>
			</td>
		</tr>
		<?php
	}

	/** @param array<string, mixed> $field */
	public static function diagnostics_field( $field ): void {
		$report = Library::diagnostics();
		?>
		<tr>
			<th scope="row" class="titledesc"><?php echo esc_html( $field['title'] ); ?></th>
			<td class="forminp inpost-qr-diagnostics">
				<?php if ( $report['ok'] ) : ?>
					<p class="inpost-qr-ok">
						<?php
						/* translators: 1: library version, 2: where it was loaded from */
						printf( esc_html__( 'The library is loaded: version %1$s, from %2$s.', 'inpost-quick-returns' ), esc_html( $report['version'] ), '<code>' . esc_html( $report['source'] ) . '</code>' );
						?>
					</p>
				<?php else : ?>
					<div class="inpost-qr-problem">
						<p><strong><?php esc_html_e( 'The library cannot be loaded, so no return codes can be made.', 'inpost-quick-returns' ); ?></strong></p>
						<p class="inpost-qr-problem-message"><?php echo esc_html( $report['error'] ); ?></p>
						<?php if ( '' !== $report['ini'] ) : ?>
							<p><?php esc_html_e( 'What to change: in the php.ini of the PHP that serves WordPress (e.g. /etc/php/8.2/fpm/conf.d/99-inpost.ini), then restart PHP:', 'inpost-quick-returns' ); ?></p>
							<pre class="inpost-qr-ini"><?php echo esc_html( $report['ini'] ); ?></pre>
							<p>
								<?php
								/* translators: %s: a shell command */
								printf( esc_html__( 'The header for ffi.preload is made once with: %s', 'inpost-quick-returns' ), '<code>' . esc_html( $report['header_command'] ) . '</code>' );
								?>
							</p>
							<p><?php esc_html_e( 'Or allow FFI for all PHP code with ffi.enable=true (simpler, less strict). Without ext-ffi at all: install it (on Debian and Ubuntu it is part of the php8.x-common package) and enable it with extension=ffi.', 'inpost-quick-returns' ); ?></p>
						<?php endif; ?>
					</div>
				<?php endif; ?>
				<ul class="inpost-qr-facts">
					<?php foreach ( $report['facts'] as $name => $fact ) : ?>
						<li><span class="inpost-qr-fact-name"><?php echo esc_html( $name ); ?></span> <code><?php echo esc_html( '' === $fact ? '(empty)' : $fact ); ?></code></li>
					<?php endforeach; ?>
				</ul>
			</td>
		</tr>
		<?php
	}

	/** admin-ajax: logs in with the form's values and reads one report line. */
	public static function test_connection(): void {
		check_ajax_referer( self::AJAX_TEST );
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_send_json_error( array( 'message' => __( 'You are not allowed to do this.', 'inpost-quick-returns' ) ), 403 );
		}
		$override = array();
		foreach ( array( 'environment', 'base_url', 'email', 'password' ) as $key ) {
			if ( isset( $_POST[ $key ] ) && is_string( $_POST[ $key ] ) ) {
				// The password is used as typed; the other values are plain text.
				$override[ $key ] = 'password' === $key ? wp_unslash( $_POST[ $key ] ) : sanitize_text_field( wp_unslash( $_POST[ $key ] ) ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized
			}
		}
		$config   = Settings::client_config( $override );
		$endpoint = isset( $config['baseUrl'] ) ? (string) $config['baseUrl'] : (string) ( $config['environment'] ?? '' );
		try {
			Library::client( $config )->getReport(
				array(
					'paging' => array(
						'limit'  => 1,
						'offset' => 0,
					),
				)
			);
		} catch ( \Throwable $e ) {
			wp_send_json_error(
				array(
					'kind'    => Messages::kind( $e ),
					'type'    => ( new \ReflectionClass( $e ) )->getShortName(),
					'key'     => $e instanceof ApiException ? $e->getKey() : null,
					'field'   => $e instanceof InvalidInputException ? $e->getField() : null,
					'message' => Messages::for_shop( $e ),
				)
			);
		}
		wp_send_json_success(
			array(
				/* translators: %s: InPost environment or base URL */
				'message' => sprintf( __( 'Connected: InPost (%s) accepted the login and answered.', 'inpost-quick-returns' ), $endpoint ),
			)
		);
	}
}
