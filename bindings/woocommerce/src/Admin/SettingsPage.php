<?php
/**
 * WooCommerce → Settings → InPost Returns.
 *
 * @package InPostQuickReturns
 */

namespace InPost\QuickReturns\WooCommerce\Admin;

use InPost\QuickReturns\WooCommerce\Settings;
use InPost\QuickReturns\WooCommerce\StatusSync;

defined( 'ABSPATH' ) || exit;

/**
 * The settings tab. Loaded only when WooCommerce builds its settings pages (its parent class is
 * not loaded before), so nothing else refers to this class; the field renderers, the password's
 * save and the connection test live in SettingsFields.
 */
final class SettingsPage extends \WC_Settings_Page {

	public function __construct() {
		$this->id    = Settings::TAB;
		$this->label = __( 'InPost Returns', 'inpost-quick-returns' );
		parent::__construct();
	}

	/**
	 * @return array<int, array<string, mixed>>
	 */
	protected function get_settings_for_default_section() {
		$p        = Settings::PREFIX;
		$statuses = wc_get_order_statuses();
		$settings = array(
			array(
				'title' => __( 'InPost account', 'inpost-quick-returns' ),
				'type'  => 'title',
				'desc'  => __( 'The login of your InPost parcel manager account (manager.paczkomaty.pl) on which Quick Returns ("Szybkie Zwroty") is switched on. Ask your InPost account manager to switch it on.', 'inpost-quick-returns' ),
				'id'    => 'inpost_qr_account',
			),
		);
		if ( Settings::overridden( 'base_url' ) ) {
			$settings[] = array(
				'title' => __( 'Environment', 'inpost-quick-returns' ),
				'type'  => 'inpost_qr_constant',
				'desc'  => sprintf(
					/* translators: 1: constant name, 2: its value */
					__( 'Set in wp-config.php by %1$s: %2$s', 'inpost-quick-returns' ),
					'INPOST_QUICK_RETURNS_BASE_URL',
					(string) constant( 'INPOST_QUICK_RETURNS_BASE_URL' )
				),
			);
		} else {
			$settings[] = array(
				'title'   => __( 'Environment', 'inpost-quick-returns' ),
				'id'      => $p . 'environment',
				'type'    => 'select',
				'class'   => 'wc-enhanced-select',
				'default' => 'production',
				'options' => array(
					'production' => __( 'Production (api.paczkomaty.pl)', 'inpost-quick-returns' ),
					'sandbox'    => __( 'InPost sandbox (sandbox-api.paczkomaty.pl)', 'inpost-quick-returns' ),
					'custom'     => __( 'Another base URL (for tests)', 'inpost-quick-returns' ),
				),
			);
			$settings[] = array(
				'title'       => __( 'Base URL', 'inpost-quick-returns' ),
				'id'          => $p . 'base_url',
				'type'        => 'text',
				'default'     => '',
				'placeholder' => 'http://127.0.0.1:8787/',
				'desc'        => __( 'Only for "Another base URL", e.g. the local sandbox of the InPost Quick Returns library. Plain http:// is accepted for this computer (127.0.0.1, localhost) only.', 'inpost-quick-returns' ),
			);
		}
		$settings[] = Settings::overridden( 'email' )
			? array(
				'title' => __( 'Login e-mail', 'inpost-quick-returns' ),
				'type'  => 'inpost_qr_constant',
				/* translators: %s: constant name */
				'desc'  => sprintf( __( 'Set in wp-config.php by %s.', 'inpost-quick-returns' ), 'INPOST_QUICK_RETURNS_EMAIL' ),
			)
			: array(
				'title'   => __( 'Login e-mail', 'inpost-quick-returns' ),
				'id'      => $p . 'email',
				'type'    => 'email',
				'default' => '',
			);
		$settings[] = Settings::overridden( 'password' )
			? array(
				'title' => __( 'Password', 'inpost-quick-returns' ),
				'type'  => 'inpost_qr_constant',
				/* translators: %s: constant name */
				'desc'  => sprintf( __( 'Set in wp-config.php by %s.', 'inpost-quick-returns' ), 'INPOST_QUICK_RETURNS_PASSWORD' ),
			)
			: array(
				'title' => __( 'Password', 'inpost-quick-returns' ),
				'id'    => $p . 'password_input',
				'type'  => 'inpost_qr_password',
			);
		$settings[] = array(
			'title' => __( 'Connection', 'inpost-quick-returns' ),
			'type'  => 'inpost_qr_test_connection',
		);
		$settings[] = array(
			'type' => 'sectionend',
			'id'   => 'inpost_qr_account',
		);

		$sizes = array();
		foreach ( Settings::PACK_TYPES as $letter => $dimensions ) {
			/* translators: 1: size letter, 2: dimensions */
			$sizes[ $letter ] = sprintf( __( 'Size %1$s — %2$s', 'inpost-quick-returns' ), $letter, $dimensions );
		}
		array_push(
			$settings,
			array(
				'title' => __( 'Return codes', 'inpost-quick-returns' ),
				'type'  => 'title',
				'id'    => 'inpost_qr_codes',
			),
			array(
				'title'    => __( 'Default parcel size', 'inpost-quick-returns' ),
				'id'       => $p . 'pack_type',
				'type'     => 'select',
				'default'  => 'A',
				'options'  => $sizes,
				'desc_tip' => __( 'Preselected for customers, and used for codes made from the order screen.', 'inpost-quick-returns' ),
			),
			array(
				'title'             => __( 'Code validity (days)', 'inpost-quick-returns' ),
				'id'                => $p . 'validity_days',
				'type'              => 'number',
				'default'           => '14',
				'custom_attributes' => array(
					'min'  => '1',
					'step' => '1',
				),
				'desc'              => __( 'A code is valid until the end of this day, counted from when it is made.', 'inpost-quick-returns' ),
			),
			array(
				'title'   => __( 'Label text', 'inpost-quick-returns' ),
				'id'      => $p . 'label_template',
				'type'    => 'text',
				'default' => Settings::DEFAULTS['label_template'],
				/* translators: the placeholders stay as they are */
				'desc'    => __( 'Printed on the return label. Placeholders: {order_number}, {order_id}, {customer_name}, {site_title}.', 'inpost-quick-returns' ),
			),
			array(
				'type' => 'sectionend',
				'id'   => 'inpost_qr_codes',
			),
			array(
				'title' => __( 'Customers', 'inpost-quick-returns' ),
				'type'  => 'title',
				'desc'  => __( 'Customers ask for a code under My Account → Orders → the order.', 'inpost-quick-returns' ),
				'id'    => 'inpost_qr_customers',
			),
			array(
				'title'   => __( 'Order statuses', 'inpost-quick-returns' ),
				'id'      => $p . 'eligible_statuses',
				'type'    => 'multiselect',
				'class'   => 'wc-enhanced-select',
				'default' => Settings::DEFAULTS['eligible_statuses'],
				'options' => $statuses,
				'desc'    => __( 'Orders in these statuses offer the "Return with InPost Paczkomat" button.', 'inpost-quick-returns' ),
			),
			array(
				'title'             => __( 'Return period (days after completion)', 'inpost-quick-returns' ),
				'id'                => $p . 'return_days',
				'type'              => 'number',
				'default'           => '14',
				'custom_attributes' => array(
					'min'  => '0',
					'step' => '1',
				),
				'desc'              => __( '0 means no limit.', 'inpost-quick-returns' ),
			),
			array(
				'type' => 'sectionend',
				'id'   => 'inpost_qr_customers',
			),
			array(
				'title' => __( 'Parcel status', 'inpost-quick-returns' ),
				'type'  => 'title',
				'desc'  => __( 'Every 30 minutes the plugin reads InPost\'s report and adds an order note when a return parcel is dropped off and when it is delivered; the shipment number and status are kept on the order.', 'inpost-quick-returns' ),
				'id'    => 'inpost_qr_sync',
			),
			array(
				'title'   => __( 'When the parcel is dropped off', 'inpost-quick-returns' ),
				'id'      => $p . 'dropped_off_status',
				'type'    => 'select',
				'class'   => 'wc-enhanced-select',
				'default' => '',
				'options' => array( '' => __( 'Keep the order status', 'inpost-quick-returns' ) ) + $statuses,
			),
			array(
				'title'   => __( 'When the parcel is delivered', 'inpost-quick-returns' ),
				'id'      => $p . 'delivered_status',
				'type'    => 'select',
				'class'   => 'wc-enhanced-select',
				'default' => '',
				'options' => array( '' => __( 'Keep the order status', 'inpost-quick-returns' ) ) + $statuses,
			),
			array(
				'title' => __( 'Status checks', 'inpost-quick-returns' ),
				'type'  => 'inpost_qr_sync_info',
			),
			array(
				'type' => 'sectionend',
				'id'   => 'inpost_qr_sync',
			),
			array(
				'title' => __( 'Server check', 'inpost-quick-returns' ),
				'type'  => 'title',
				'desc'  => __( 'The plugin talks to InPost through a native library loaded with PHP\'s FFI extension.', 'inpost-quick-returns' ),
				'id'    => 'inpost_qr_server',
			),
			array(
				'title' => __( 'Library', 'inpost-quick-returns' ),
				'type'  => 'inpost_qr_diagnostics',
			),
			array(
				'type' => 'sectionend',
				'id'   => 'inpost_qr_server',
			)
		);
		return $settings;
	}

	/** After saving: a new schedule check, in case the job was removed. */
	public function save() {
		parent::save();
		delete_transient( 'inpost_quick_returns_sync_scheduled' );
		StatusSync::ensure_scheduled();
	}
}
