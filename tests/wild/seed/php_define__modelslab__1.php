<?php
define('MODELSLAB_API_KEY', 'h57NLh74cnSpdJg8Nxl7qOtGYOqFCLaShfK46HNWW5Gn3E5Km4hkdUO85DtM');
define('MODELSLAB_URL', 'https://modelslab.com/api/v6/images/text2img');

function ml_generate(string $prompt): array {
    $ch = curl_init(MODELSLAB_URL);
    curl_setopt($ch, CURLOPT_HTTPHEADER, ['Content-Type: application/json']);
    curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode(['key' => MODELSLAB_API_KEY, 'prompt' => $prompt]));
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
    return json_decode(curl_exec($ch), true);
}
