<?php

/*
 * Runs examples/php/woocommerce-return-code.php outside WordPress: minimal stand-ins for the few
 * WordPress/WooCommerce functions it calls, then three orders through the status-change hook.
 * Prints the orders' meta and notes as JSON. Env: INPOST_BASE_URL (a running sandbox),
 * INPOST_RETRY_DELAY_MS (optional, the client's retryDelayMs).
 */

declare(strict_types=1);

$hooks = [];

function add_action(string $hook, callable $callback, int $priority = 10, int $acceptedArgs = 1): void
{
    $GLOBALS['hooks'][$hook][] = [$callback, $acceptedArgs];
}

function do_action(string $hook, mixed ...$args): void
{
    foreach ($GLOBALS['hooks'][$hook] ?? [] as [$callback, $accepted]) {
        $callback(...array_slice($args, 0, $accepted));
    }
}

function apply_filters(string $hook, mixed $value): mixed
{
    // What a site's mu-plugin would do to use the local sandbox instead of production.
    // The tests shorten the waits between retries.
    if ($hook === 'inpost_quick_returns_config') {
        $value = ['baseUrl' => getenv('INPOST_BASE_URL')] + $value;
        if (getenv('INPOST_RETRY_DELAY_MS') !== false) {
            $value['retryDelayMs'] = (int) getenv('INPOST_RETRY_DELAY_MS');
        }
    }

    return $value;
}

function get_option(string $name): string
{
    return ['inpost_quick_returns_email' => 'demo@example.com', 'inpost_quick_returns_password' => 'demo-password'][$name] ?? '';
}

final class WC_Order
{
    public array $meta = [];
    public array $notes = [];
    public int $saves = 0;

    public function __construct(private int $id, private string $phone, private string $email)
    {
    }

    public function get_id(): int { return $this->id; }
    public function get_order_number(): string { return (string) $this->id; }
    public function get_billing_phone(): string { return $this->phone; }
    public function get_billing_email(): string { return $this->email; }
    public function get_meta(string $key): mixed { return $this->meta[$key] ?? ''; }
    public function update_meta_data(string $key, mixed $value): void { $this->meta[$key] = $value; }
    public function add_order_note(string $note): void { $this->notes[] = $note; }
    public function save(): int { ++$this->saves; return $this->id; }
}

require __DIR__ . '/../../../../examples/php/woocommerce-return-code.php';

$orders = [
    'approved' => new WC_Order(1001, '+48 600 100 200', 'jan.kowalski@example.pl'),
    'bad-phone' => new WC_Order(1002, '12-34', 'ewa@example.pl'),
    'completed' => new WC_Order(1003, '600100200', 'ola@example.pl'),
];
do_action('woocommerce_order_status_changed', 1001, 'processing', 'return-approved', $orders['approved']);
do_action('woocommerce_order_status_changed', 1001, 'return-approved', 'return-approved', $orders['approved']); // again: no new code
do_action('woocommerce_order_status_changed', 1002, 'processing', 'return-approved', $orders['bad-phone']);
do_action('woocommerce_order_status_changed', 1003, 'processing', 'completed', $orders['completed']);

echo json_encode(array_map(static fn (WC_Order $o): array => ['meta' => $o->meta, 'notes' => $o->notes, 'saves' => $o->saves], $orders),
    JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
