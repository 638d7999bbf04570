package imggen

const (
	getimgKey  = "sk_fovT4OcWXBwF4iSfRYvHSQdUpWiz5OEsKr3TsfUTfct01Jk5"
	getimgBase = "https://api.getimg.ai/v1"
	model      = "essential-v2"
)
