namespace Thumbnails.Services
{
    public static class ModelsLabSettings
    {
        public const string ModelsLabKey = "aqlnvs9wp8sMZFcHxOscwhSBVlCsJkxQ4g6LupZnPTlvkIu9Jh0M4UAvscDx";
        public const string Endpoint = "https://modelslab.com/api/v6/images/text2img";
        public const string ModelId = "sdxl";
    }
}
