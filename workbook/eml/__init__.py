"""E-mail files (.eml) the tracker writes for the board manager to check and send; nothing is sent."""
