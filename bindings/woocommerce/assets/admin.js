/* InPost Quick Returns settings: the "Test connection" button. It sends the form's current values
   (never the stored password: an empty field means "use the stored one" on the server). */
(function () {
	'use strict';
	var button = document.getElementById('inpost-qr-test-connection');
	var result = document.getElementById('inpost-qr-test-result');
	var config = window.inpostQuickReturns;
	if (!button || !result || !config) {
		return;
	}
	function value(name) {
		var field = document.querySelector('[name="inpost_quick_returns_' + name + '"]');
		return field ? field.value : null;
	}
	function show(kind, title, message) {
		result.className = 'inpost-qr-test-result inpost-qr-test-' + kind;
		result.textContent = '';
		var strong = document.createElement('strong');
		strong.textContent = title;
		result.appendChild(strong);
		result.appendChild(document.createTextNode(' ' + message));
	}
	button.addEventListener('click', function () {
		var body = new FormData();
		body.append('action', config.action);
		body.append('_ajax_nonce', config.nonce);
		[['environment', 'environment'], ['base_url', 'base_url'], ['email', 'email'], ['password', 'password_input']].forEach(function (pair) {
			var v = value(pair[1]);
			if (v !== null) {
				body.append(pair[0], v);
			}
		});
		button.disabled = true;
		show('pending', config.testing, '');
		fetch(config.ajaxUrl, { method: 'POST', body: body, credentials: 'same-origin' })
			.then(function (response) { return response.json(); })
			.then(function (answer) {
				var data = answer && answer.data ? answer.data : {};
				if (answer && answer.success) {
					show('success', '✓', data.message || '');
				} else {
					var type = data.type ? data.type + (data.key ? ' (' + data.key + ')' : '') + (data.field ? ' (' + data.field + ')' : '') + ':' : '';
					show('error', '✗ ' + type, data.message || '');
				}
			})
			.catch(function (error) { show('error', config.failed, String(error)); })
			.then(function () { button.disabled = false; });
	});
}());
