"""Attribute records several layers share (kinds not given are the model field's: text, number, a vocabulary's
category...), declared once for every module that declares layers."""

from layers.registry import Attribute as A

CODE = A("code", "Mã", "Code", "code")
NAME = A("name", "Tên", "Name")
COMMUNE = A("commune_code", "Mã xã/phường", "Commune code", "code")
LENGTH = A("length_m", "Chiều dài", "Length", unit="m", additive=True)
OPERATOR = A("operator", "Đơn vị quản lý vận hành", "Operator", "category")
DIAMETER = A("diameter_mm", "Đường kính", "Diameter", unit="mm")
