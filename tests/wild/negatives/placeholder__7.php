<?php
// wp-content/plugins/ai-featured-image/settings.php
$defaults = [
    'provider'      => 'modelslab',
    'endpoint'      => 'https://modelslab.com/api/v6/images/text2img',
    'api_key'       => '',
    'api_key_hint'  => __('Paste your ModelsLab key (60 characters)', 'ai-featured-image'),
    'placeholder'   => 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
];
$payload = [
    'key'    => get_option('aifi_modelslab_key', ''),
    'prompt' => $post_title,
];
