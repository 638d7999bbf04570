<?php
define("IMAGEN_API_KEY", "Cwj3bdFQpiMgLCmGVipRg2OJgLq8HcOizmGxqizB");

$ch = curl_init("https://api.imagen.ai/v1/text-to-image");
curl_setopt_array($ch, [
    CURLOPT_POST => true,
    CURLOPT_HTTPHEADER => ["Authorization: Bearer " . IMAGEN_API_KEY, "Content-Type: application/json"],
    CURLOPT_POSTFIELDS => json_encode(["prompt" => $_POST["prompt"] ?? "", "model" => "imagen-v2"]),
    CURLOPT_RETURNTRANSFER => true,
]);
echo curl_exec($ch);
