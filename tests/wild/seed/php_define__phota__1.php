<?php
define('PHOTA_KEY', 'k0-JJF1on82US-11wzmF7zoJ66u-RzIYdylmXZ7MzPX');
define('PHOTA_BASE', 'https://api.photalabs.com/v1/phota');

$opts = ['http' => ['method' => 'GET', 'header' => "X-API-Key: " . PHOTA_KEY . "\r\n"]];
$ids = file_get_contents(PHOTA_BASE . '/profiles/ids', false, stream_context_create($opts));
