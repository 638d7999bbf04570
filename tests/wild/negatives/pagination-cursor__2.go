package sync

// Pages through https://api.replicate.com/v1/predictions with the token from
// REPLICATE_API_TOKEN. The cursors below are from a recorded run: they encode a
// timestamp ("p=..."), nothing secret.
var recordedPages = []string{
	"https://api.replicate.com/v1/predictions?cursor=cD0yMDI1LTA2LTIxKzE3JTNBMDElM0EyMi45MjM1ODMlMkIwMCUzQTAw",
	"https://api.replicate.com/v1/predictions?cursor=cD0yMDI1LTA3LTE0KzA4JTNBMjglM0E0MS43MDk4NDAlMkIwMCUzQTAw",
	"https://api.replicate.com/v1/predictions?cursor=cD0yMDI1LTAzLTI0KzA2JTNBNDIlM0ExMi4yMTMyNDQlMkIwMCUzQTAw",
}

var lastSeenPrediction = "xk2o4mlzsahoiopwpyeme3tist"
var lastSeenVersion = "7f40e57225dc17685a4c59bf5dd37684cbb4f6f7dcc905df08ba7ad786c21eb5"
