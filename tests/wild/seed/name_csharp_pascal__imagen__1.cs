namespace Studio.Options
{
    public class ImagenOptions
    {
        public string BaseUrl { get; set; } = "https://api.imagen.ai/v1";
        public string ImagenKey { get; set; } = "vIVFHoweTwJUSKk3PjeRaJcPwMsC7VdSA7IttBzn";
        public int TimeoutSeconds { get; set; } = 90;
    }
}
