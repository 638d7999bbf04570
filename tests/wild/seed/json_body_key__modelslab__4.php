<?php
$payload = [
    "key" => "cUSkDf44bBQdGZdcirDrRxWr2OZXjnn0IQn4F761Q4qAcMaMPS9R6m5tEQrJ",
    "prompt" => "Narrative voice reading a bedtime story",
    "language" => "english",
];
$ch = curl_init("https://modelslab.com/api/v6/voice/text_to_audio");
curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($payload));
curl_setopt($ch, CURLOPT_HTTPHEADER, ["Content-Type: application/json"]);
curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
print_r(json_decode(curl_exec($ch), true));
