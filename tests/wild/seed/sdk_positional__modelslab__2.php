<?php
require_once __DIR__ . '/vendor/autoload.php';

use ModelsLab\ModelsLab;
use ModelsLab\Schemas\RealtimeText2ImageSchema;

$modelslab = new ModelsLab('Mk7GS6lMzP6UZHZQmCjd52QW4HDG4coq6SlBoOhHkzJtH0dGh5OzMz81WLUJ');
$req = new RealtimeText2ImageSchema(['prompt' => 'a paper boat on a puddle', 'width' => 512, 'height' => 512]);
print_r($modelslab->realtime()->textToImage($req));
