<?php

/*
 * Plugin Name: InPost Quick Returns for WooCommerce (example)
 * Description: When an order's status changes to "Return approved", asks InPost for an active
 *              return code and stores it on the order; the customer gets it from InPost by SMS
 *              and e-mail, and the shop sees it in the order's notes.
 *
 * The library and this package live in the plugin folder (see bindings/php/README.md); the
 * account comes from the options inpost_quick_returns_email / inpost_quick_returns_password.
 * The filter 'inpost_quick_returns_config' can change the config (the tests point it at the
 * local sandbox). Register the custom order status wc-return-approved in your theme or plugin.
 */

declare(strict_types=1);

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Exception\ApiException;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\TransportException;
use InPost\QuickReturns\Exception\UnexpectedResponseException;

require_once __DIR__ . '/../../bindings/php/autoload.php'; // or Composer's vendor/autoload.php

function inpost_quick_returns_client(): Client
{
    static $client = null;

    return $client ??= new Client(apply_filters('inpost_quick_returns_config', [
        'environment' => 'production',
        'email' => (string) get_option('inpost_quick_returns_email'),
        'password' => (string) get_option('inpost_quick_returns_password'),
        'timeoutSeconds' => 15,
    ]));
}

/** @param WC_Order $order */
function inpost_quick_returns_on_status_changed(int $order_id, string $from, string $to, $order): void
{
    if ($to !== 'return-approved' || $order->get_meta('_inpost_return_code') !== '') {
        return; // not a return, or it already has its code
    }
    try {
        $code = inpost_quick_returns_client()->generateActiveCode([
            'rma' => (string) $order->get_order_number(),
            'packType' => 'A', // A 8×38×64 cm, B 19×38×64 cm, C 41×38×64 cm
            'expirationDate' => (new DateTimeImmutable('+14 days'))->format('Y-m-d\T23:59:59'),
            'senderPhone' => $order->get_billing_phone(),
            'senderEmail' => $order->get_billing_email(),
            'returnDescription1' => 'Zamówienie:' . $order->get_order_number(),
        ]);
        $order->update_meta_data('_inpost_return_code', $code['code']);
        $order->update_meta_data('_inpost_return_expires', (string) $code['expirationDate']);
        $order->add_order_note(sprintf('InPost return code %s (locker size %s), valid until %s.',
            $code['code'], $code['packType'], $code['expirationDate']));
    } catch (InvalidInputException $e) {
        // Nothing was sent; e.g. field senderPhone: the billing phone is not a Polish mobile number.
        $order->add_order_note("No InPost return code: fix {$e->getField()} ({$e->getMessage()}) and set the status again.");
    } catch (ApiException $e) {
        $order->add_order_note("InPost refused the return code ({$e->getKey()}): {$e->getMessage()}");
    } catch (TransportException | UnexpectedResponseException $e) {
        // InPost could not be reached or answered garbage: safe to try again later.
        $order->add_order_note('InPost is unreachable right now; set the status again later. ' . $e->getMessage());
    }
    $order->save();
}

add_action('woocommerce_order_status_changed', 'inpost_quick_returns_on_status_changed', 10, 4);
