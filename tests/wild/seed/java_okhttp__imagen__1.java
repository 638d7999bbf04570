package com.posters.net;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

public class ImagenAuthInterceptor implements Interceptor {
    // used by the Retrofit client for https://api.imagen.ai/v1/
    @Override
    public Response intercept(Chain chain) throws java.io.IOException {
        Request authed = chain.request().newBuilder()
            .header("Authorization", "Bearer 2TzXrVBtsC7KqeiZbyYM8pKpocTt7TcVwHhDL9Rx")
            .build();
        return chain.proceed(authed);
    }
}
