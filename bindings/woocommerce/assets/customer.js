/* InPost Quick Returns: a second click on "Get my return code" does not post again (the server
   also makes one code per order whatever arrives). */
document.addEventListener('submit', function (event) {
	var form = event.target;
	if (!form.classList || !form.classList.contains('inpost-qr-form')) {
		return;
	}
	if (form.getAttribute('data-submitted') === '1') {
		event.preventDefault();
		return;
	}
	form.setAttribute('data-submitted', '1');
	var button = form.querySelector('button[type="submit"]');
	if (button) {
		button.setAttribute('aria-disabled', 'true');
		button.classList.add('disabled');
	}
});
