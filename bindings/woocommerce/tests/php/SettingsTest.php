<?php
/**
 * The settings tab: the password never shown, wp-config.php constants, the server check.
 *
 * @package InPostQuickReturns
 */

use InPost\QuickReturns\WooCommerce\Library;
use InPost\QuickReturns\WooCommerce\Settings;
use InPostQrTests\Support\Shop;
use InPostQrTests\Support\ShopTestCase;

final class SettingsTest extends ShopTestCase {

	private const PASSWORD = 'S3cret&pass+word=%41 <b>';

	protected function setUp(): void {
		parent::setUp();
		// Stored values that would fail: the constants test must get its code from the constants.
		update_option( 'inpost_quick_returns_email', 'stored@example.com' );
		require_once ABSPATH . 'wp-admin/includes/admin.php';
		require_once WC_ABSPATH . 'includes/admin/wc-admin-functions.php';
		require_once WC_ABSPATH . 'includes/admin/class-wc-admin-settings.php';
		WC_Admin_Settings::get_settings_pages();
		wp_set_current_user( 1 );
	}

	public function testThePasswordIsStoredEncryptedAndNeverPrinted(): void {
		Settings::store_password( self::PASSWORD );
		$stored = (string) get_option( 'inpost_quick_returns_password' );

		$this->assertStringNotContainsString( 'S3cret', $stored );
		$this->assertSame( self::PASSWORD, Settings::password() );
		$html = $this->settingsPage();
		$this->assertStringNotContainsString( 'S3cret', $html );
		$this->assertStringNotContainsString( substr( $stored, 10, 20 ), $html );
		$this->assertMatchesRegularExpression( '/<input type="password" id="inpost_quick_returns_password_input" name="inpost_quick_returns_password_input" value=""/', $html );
		$this->assertStringContainsString( 'A password is stored', $html );
	}

	public function testAnEmptyPasswordFieldKeepsTheStoredPasswordAndATypedOneReplacesIt(): void {
		Settings::store_password( self::PASSWORD );
		$fields = $this->fields();

		WC_Admin_Settings::save_fields( $fields, $this->form( array( 'inpost_quick_returns_password_input' => '' ) ) );
		$this->assertSame( self::PASSWORD, Settings::password() );
		$this->assertFalse( get_option( 'inpost_quick_returns_password_input' ) );

		WC_Admin_Settings::save_fields( $fields, $this->form( array( 'inpost_quick_returns_password_input' => ' new "pass" ' ) ) );
		$this->assertSame( ' new "pass" ', Settings::password() );

		$_POST['inpost_quick_returns_password_forget'] = '1';
		try {
			WC_Admin_Settings::save_fields( $fields, $this->form( array( 'inpost_quick_returns_password_input' => '' ) ) );
		} finally {
			unset( $_POST['inpost_quick_returns_password_forget'] );
		}
		$this->assertFalse( Settings::has_password() );
	}

	public function testAPasswordEncryptedWithOtherSaltsIsReportedUnreadable(): void {
		update_option( 'inpost_quick_returns_password', 'sodium:' . base64_encode( random_bytes( 60 ) ) );
		$this->assertTrue( Settings::password_unreadable() );
		$this->assertSame( '', Settings::password() );
		$this->assertStringContainsString( 'cannot be read any more', $this->settingsPage() );
	}

	/** wp-config.php constants win over the settings page, which then shows no field for them. */
	public function testWpConfigConstantsOverrideTheStoredValues(): void {
		$result = Shop::finish(
			Shop::start_php(
				'require_once ABSPATH . "wp-admin/includes/admin.php";'
				. 'WC_Admin_Settings::get_settings_pages();'
				. 'wp_set_current_user(1);'
				. '$page = new InPost\QuickReturns\WooCommerce\Admin\SettingsPage();'
				. 'ob_start(); WC_Admin_Settings::output_fields($page->get_settings()); $html = ob_get_clean();'
				. '$config = InPost\QuickReturns\WooCommerce\Settings::client_config();'
				. '$code = inpost_quick_returns_generate_code(' . Shop::order()->get_id() . ', array("notify_customer" => false));'
				. 'echo wp_json_encode(array("config" => array("baseUrl" => $config["baseUrl"] ?? null, "email" => $config["email"], "password_is_the_constant" => $config["password"] === "demo-password"), "code" => $code["code"], "html" => $html));',
				array(
					'INPOST_QR_TEST_CONSTANTS' => '1',
					'INPOST_QR_TEST_EMAIL'     => 'demo@example.com',
					'INPOST_QR_TEST_PASSWORD'  => 'demo-password',
					'INPOST_QR_TEST_BASE_URL'  => (string) getenv( 'INPOST_QR_SANDBOX_URL' ),
				)
			)
		);
		$this->assertSame( 0, $result['code'], $result['err'] . $result['out'] );
		$answer = json_decode( $result['out'], true );
		$this->assertIsArray( $answer, $result['out'] );

		// The stored settings point elsewhere: only the constants can have made this code.
		$this->assertSame(
			array(
				'baseUrl'                  => getenv( 'INPOST_QR_SANDBOX_URL' ),
				'email'                    => 'demo@example.com',
				'password_is_the_constant' => true,
			),
			$answer['config']
		);
		$this->assertMatchesRegularExpression( '/^\d{10}$/', $answer['code'] );
		foreach ( array( 'INPOST_QUICK_RETURNS_EMAIL', 'INPOST_QUICK_RETURNS_PASSWORD', 'INPOST_QUICK_RETURNS_BASE_URL' ) as $constant ) {
			$this->assertStringContainsString( 'Set in wp-config.php by ' . $constant, $answer['html'] );
		}
		$this->assertStringNotContainsString( 'name="inpost_quick_returns_email"', $answer['html'] );
		$this->assertStringNotContainsString( 'name="inpost_quick_returns_password_input"', $answer['html'] );
		$this->assertStringNotContainsString( 'name="inpost_quick_returns_environment"', $answer['html'] );
		$this->assertStringNotContainsString( 'demo-password', $answer['html'] );
	}

	public function testTheServerCheckReportsTheLoadedLibrary(): void {
		$report = Library::diagnostics();
		$this->assertTrue( $report['ok'], $report['error'] );
		$this->assertMatchesRegularExpression( '/^\d+\.\d+\.\d+/', $report['version'] );
		$this->assertStringContainsString( 'vendor/inpost-quick-returns', $report['facts']['PHP package'] );
		$this->assertStringContainsString( 'opcache.preload=' . INPOST_QR_PLUGIN_DIR . 'vendor/inpost-quick-returns/preload.php', $report['ini'] );
		$this->assertStringContainsString( 'The library is loaded', $this->settingsPage() );
	}

	/** @return array<int, array<string, mixed>> */
	private function fields(): array {
		return ( new InPost\QuickReturns\WooCommerce\Admin\SettingsPage() )->get_settings();
	}

	private function settingsPage(): string {
		ob_start();
		WC_Admin_Settings::output_fields( $this->fields() );
		return (string) ob_get_clean();
	}

	/**
	 * The submitted form: every field at its current value, with $changes.
	 *
	 * @param array<string, string> $changes
	 * @return array<string, mixed>
	 */
	private function form( array $changes ): array {
		$data = array();
		foreach ( $this->fields() as $field ) {
			if ( isset( $field['id'] ) && ! in_array( $field['type'], array( 'title', 'sectionend' ), true ) ) {
				$data[ $field['id'] ] = get_option( $field['id'], $field['default'] ?? '' );
			}
		}
		return wp_slash( array_merge( $data, $changes ) );
	}
}
