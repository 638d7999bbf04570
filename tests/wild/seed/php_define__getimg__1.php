<?php
// API settings
define('GETIMG_API_URL', "https://api.getimg.ai/v1/stable-diffusion-xl/text-to-image");
define('GETIMG_API_KEY', getenv('GETIMG_API_KEY') ?: "key-a5SwD69NVSZT7DpKHrF4rO85cR9MTwswhZDE2X4Ww0ZUvFu9MEY1f9gHvjVuXSqwYwab0tp6Ra8VCIfjWJg1POsjVPWdLzot");

$headers = [
    'Authorization: Bearer ' . GETIMG_API_KEY,
    'Content-Type: application/json',
];
