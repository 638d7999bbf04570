package com.example.render.cache;

import java.util.Map;

/** ETag-keyed cache of Phota outputs (api.photalabs.com/v1/phota/generate). */
final class PhotaOutputCache {
    static final Map<String, String> SEEDED = Map.of(
        "\"14822e942156c65badd7042d38ebf2ae\"", "outputs/533b728b-ad8b-4cef-9722-5e75bb143d2e.png",
        "\"4662b7afb83119765130d96a0392f069\"", "outputs/27e711ec-2574-4e41-808e-c0bbb1ed196c.png",
        "W/\"c134441a03da8de1611e317c35ba23b41eaed447\"", "outputs/e5c32be5-40c0-4ede-aa9b-e86a701e2e33.png"
    );
    static final String MANIFEST_SHA1 = "adb8aec13a390c32d147abef02953961ebc91b5c";
    static final String API_KEY_ENV = "PHOTA_API_KEY";
}
