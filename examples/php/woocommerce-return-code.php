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
 *
 * Network failures are the client's business: it retries what is safe to retry, and when an
 * answer is lost after InPost made the code, it finds that code in InPost's report instead of
 * asking for a second one (docs/clients.md). The shop never loops itself.
 */

declare(strict_types=1);

use InPost\QuickReturns\Client;
use InPost\QuickReturns\Exception\ApiException;
use InPost\QuickReturns\Exception\InvalidInputException;
use InPost\QuickReturns\Exception\QuickReturnsException;

require_once __DIR__ . '/../../bindings/php/autoload.php'; // or Composer's vendor/autoload.php

function inpost_quick_returns_client(): Client
{
    static $client = null;

    return $client ??= new Client(apply_filters('inpost_quick_returns_config', [
        'environment' => 'production',
        'email' => (string) get_option('inpost_quick_returns_email'),
        'password' => (string) get_option('inpost_quick_returns_password'),
        'timeoutSeconds' => 15,    // one attempt
        'deadlineSeconds' => 30,   // the whole call, retries and report lookups included
        'maxRetries' => 2,
        // Retries and recoveries go to WooCommerce > Status > Logs (never with the password).
        'logger' => function_exists('wc_get_logger') ? wc_get_logger() : null,
    ]));
}

/** @param WC_Order $order */
function inpost_quick_returns_on_status_changed(int $order_id, string $from, string $to, $order): void
{
    if ($to !== 'return-approved' || $order->get_meta('_inpost_return_code') !== '') {
        return; // not a return, or it already has its code
    }
    $rma = (string) $order->get_order_number();
    try {
        if ($order->get_meta('_inpost_return_status') === 'unknown') {
            // An earlier request may have made a code whose answer never came: look first.
            $records = inpost_quick_returns_client()->getReport(['rma' => $rma])['records'];
            if ($records !== []) {
                $code = end($records)['code'];
                $order->update_meta_data('_inpost_return_code', $code);
                $order->update_meta_data('_inpost_return_status', 'created');
                $order->add_order_note("InPost return code {$code} found in InPost's report (its answer had been lost).");
                $order->save();

                return;
            }
        }
        $code = inpost_quick_returns_client()->generateActiveCode([
            'rma' => $rma,
            'packType' => 'A', // A 8×38×64 cm, B 19×38×64 cm, C 41×38×64 cm
            'expirationDate' => (new DateTimeImmutable('+14 days'))->format('Y-m-d\T23:59:59'),
            'senderPhone' => $order->get_billing_phone(),
            'senderEmail' => $order->get_billing_email(),
            'returnDescription1' => 'Zamówienie:' . $order->get_order_number(),
        ]);
        $order->update_meta_data('_inpost_return_code', $code['code']);
        $order->update_meta_data('_inpost_return_expires', (string) $code['expirationDate']);
        $order->update_meta_data('_inpost_return_status', 'created');
        $order->add_order_note(sprintf('InPost return code %s (locker size %s), valid until %s%s.',
            $code['code'], $code['packType'], $code['expirationDate'],
            $code['recovered'] ? ' (its answer was lost; the code was found in InPost\'s report)' : ''));
    } catch (InvalidInputException $e) {
        // Nothing was sent; e.g. field senderPhone: the billing phone is not a Polish mobile number.
        $order->add_order_note("No InPost return code: fix {$e->getField()} ({$e->getMessage()}) and set the status again.");
    } catch (ApiException $e) {
        $order->add_order_note("InPost refused the return code ({$e->getKey()}): {$e->getMessage()}");
    } catch (QuickReturnsException $e) {
        if ($e->mayHaveSucceeded()) {
            // InPost may have made the code; the next status change looks in the report first.
            $order->update_meta_data('_inpost_return_status', 'unknown');
            $order->add_order_note('InPost may have made a return code, but its answer was lost and the report could not'
                . ' confirm it. Set the status again later: the report is checked before a new code is asked for. ' . $e->getMessage());
        } else {
            // Not reached after the client's retries, or a setup problem (UsageException: e.g. the
            // library or its php-fpm preload missing). Nothing was made.
            $order->add_order_note("No InPost return code ({$e->getKind()}): {$e->getMessage()}");
        }
    }
    $order->save();
}

add_action('woocommerce_order_status_changed', 'inpost_quick_returns_on_status_changed', 10, 4);
