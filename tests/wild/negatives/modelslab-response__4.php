<?php
// app/Services/ModelsLabImages.php
namespace App\Services;

use Illuminate\Support\Facades\Http;

class ModelsLabImages
{
    private const ENDPOINT = 'https://modelslab.com/api/v6/images/text2img';
    // sample answer kept for the unit tests
    private const SAMPLE_FILE_PREFIX = '47f14aa7-4bfc-40c1-96c6-c0f8ee84f454';
    private const SAMPLE_SEED_HASH = 'd8703a9e78cb840a185d72e7cdd4948c1b4afe25';

    public function generate(string $prompt): array
    {
        $payload = [
            'key' => config('services.modelslab.key'),
            'prompt' => $prompt,
            'webhook' => route('hooks.modelslab', ['token' => 'b43d1767-4994-4e92-96f5-598cd74f2ff4']),
            'track_id' => (string) \Illuminate\Support\Str::uuid(),
        ];
        return Http::timeout(60)->post(self::ENDPOINT, $payload)->json();
    }
}
