import { useTranslation } from "react-i18next";

const PROVIDERS = [
  { id: "modelslab", host: "modelslab.com", envVar: "MODELSLAB_API_KEY" },
  { id: "getimg", host: "api.getimg.ai", envVar: "GETIMG_API_KEY" },
  { id: "imagen", host: "api.imagen.ai", envVar: "IMAGEN_API_KEY" },
  { id: "phota", host: "api.photalabs.com", envVar: "PHOTA_API_KEY" },
];

export function ProviderList() {
  const { t } = useTranslation();
  return (
    <ul className="provider-list__items--with-dividers-and-compact-spacing">
      {PROVIDERS.map((p) => (
        <li key={`provider-${p.id}-settings-row-collapsible-panel`} data-key={`settings.providers.${p.id}.apiKeyField`}>
          {t(`settings.providers.${p.id}.apiKeyLabel`)} <code>{p.envVar}</code>
        </li>
      ))}
    </ul>
  );
}
