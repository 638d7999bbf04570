package phota

import "net/http"

func ProfileStatus(id string) (*http.Response, error) {
	req, err := http.NewRequest("GET", "https://api.photalabs.com/v1/phota/profiles/"+id+"/status", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-API-Key", "kL2bNqEDw9hM5USNgi1jUfPAZNBomI_4Amzge9SRd0o")
	return http.DefaultClient.Do(req)
}
