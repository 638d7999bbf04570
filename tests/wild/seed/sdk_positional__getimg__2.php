<?php
require 'vendor/autoload.php';

use GuzzleHttp\Client as HttpClient;
use Nicodemuz\PhpGetImgAi\GetImgAiClient;
use Nicodemuz\PhpGetImgAi\Request\TextToImageRequest;
use Nyholm\Psr7\Factory\Psr17Factory;

$factory = new Psr17Factory();
$getImg = new GetImgAiClient('sk_D4RscSjyk5PeC5o4URktziJkm0sjhZnXXPw3jmboIX6pgph7', new HttpClient(), $factory, $factory);
$res = $getImg->textToImage(new TextToImageRequest(prompt: 'neon koi pond', model: 'flux-schnell'));
echo $res->getUrl() . PHP_EOL;
